package dev.arcana.example.db;

import java.util.List;
import java.util.UUID;

/**
 * The example's demo data, with fixed ids so that tests, the README and the page can name them.
 *
 * <p>Two workspaces, {@value #ACME} and {@value #GLOBEX}, each with one organisation, three users (one per role) and a
 * few tasks, some assigned. Ids follow a pattern: {@code aaaaaaaa-…} in acme, {@code bbbbbbbb-…} in globex;
 * {@code …-000000000000} is the organisation, {@code …-00000000000N} the users, {@code …-00000000010N} the tasks.
 */
public final class DemoData {

    public static final String ACME = "acme";
    public static final String GLOBEX = "globex";

    /** The demo organisation of workspace {@value #ACME}. */
    public static final UUID ACME_ORG_ID = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000000");
    /** The demo organisation of workspace {@value #GLOBEX}. */
    public static final UUID GLOBEX_ORG_ID = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000000");

    public static final UUID ACME_ADA_ID = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000001");
    public static final UUID ACME_GRACE_ID = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000002");
    public static final UUID ACME_ALAN_ID = UUID.fromString("aaaaaaaa-0000-4000-8000-000000000003");
    public static final UUID GLOBEX_HANK_ID = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000001");
    public static final UUID GLOBEX_MINDY_ID = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000002");
    public static final UUID GLOBEX_FRANK_ID = UUID.fromString("bbbbbbbb-0000-4000-8000-000000000003");

    /** A row of {@code users}. */
    public record User(UUID id, String workspaceId, UUID orgId, String name, String email, String role) {
    }

    /** A row of {@code tasks} ({@code updated_at} is left to its default). */
    public record Task(UUID id, String workspaceId, String title, boolean done, UUID assigneeId, int position) {
    }

    public static final List<User> USERS = List.of(
            new User(ACME_ADA_ID, ACME, ACME_ORG_ID, "Ada Lovelace", "ada@acme.test", "admin"),
            new User(ACME_GRACE_ID, ACME, ACME_ORG_ID, "Grace Hopper", "grace@acme.test", "member"),
            new User(ACME_ALAN_ID, ACME, ACME_ORG_ID, "Alan Turing", "alan@acme.test", "viewer"),
            new User(GLOBEX_HANK_ID, GLOBEX, GLOBEX_ORG_ID, "Hank Scorpio", "hank@globex.test", "admin"),
            new User(GLOBEX_MINDY_ID, GLOBEX, GLOBEX_ORG_ID, "Mindy Simmons", "mindy@globex.test", "member"),
            new User(GLOBEX_FRANK_ID, GLOBEX, GLOBEX_ORG_ID, "Frank Grimes", "frank@globex.test", "viewer"));

    public static final List<Task> TASKS = List.of(
            new Task(UUID.fromString("aaaaaaaa-0000-4000-8000-000000000101"), ACME, "Write the launch plan", false, ACME_ADA_ID, 0),
            new Task(UUID.fromString("aaaaaaaa-0000-4000-8000-000000000102"), ACME, "Review the pricing page", true, ACME_GRACE_ID, 1),
            new Task(UUID.fromString("aaaaaaaa-0000-4000-8000-000000000103"), ACME, "Fix the login bug", false, ACME_GRACE_ID, 2),
            new Task(UUID.fromString("aaaaaaaa-0000-4000-8000-000000000104"), ACME, "Plan the offsite", false, null, 3),
            new Task(UUID.fromString("bbbbbbbb-0000-4000-8000-000000000101"), GLOBEX, "Order the hammocks", false, GLOBEX_HANK_ID, 0),
            new Task(UUID.fromString("bbbbbbbb-0000-4000-8000-000000000102"), GLOBEX, "Audit the reactor", false, GLOBEX_MINDY_ID, 1),
            new Task(UUID.fromString("bbbbbbbb-0000-4000-8000-000000000103"), GLOBEX, "Hire a safety inspector", true, null, 2));

    public static List<User> users(String workspaceId) {
        return USERS.stream().filter(u -> u.workspaceId().equals(workspaceId)).toList();
    }

    public static List<Task> tasks(String workspaceId) {
        return TASKS.stream().filter(t -> t.workspaceId().equals(workspaceId)).toList();
    }

    private DemoData() {
    }
}
