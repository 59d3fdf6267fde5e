package dev.arcana.example.tasks;

import dev.arcana.api.Change;
import dev.arcana.api.InvalidParamsException;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationContext;
import dev.arcana.api.MutationDefinition;
import dev.arcana.api.MutationQuerier;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.MutationResult;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.Param;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The demo page's writes as mutations: each runs in one transaction, scoped to the caller's
 * workspace (a task of another workspace is not found), and declares the rows it changed so that
 * the views re-run at commit, without waiting for the change detector.
 *
 * <p>Rule: a title is unique among the workspace's tasks, ignoring case ({@code conflict}, reason
 * {@code title_taken}). {@code example.mutation-delay-ms} (default 0) slows every mutation down,
 * to watch optimistic updates in the browser.
 *
 * <p>{@code example.mutation.declare-changes} (default {@code true}; environment variable
 * {@code EXAMPLE_MUTATION_DECLARE_CHANGES}): {@code false} returns every result without its
 * declared changes, so the views learn of a mutation only through the change detector (the
 * "detector path" the load driver's {@code mutate} scenario compares with the commit-time fast
 * path). {@link #result} is the one place that decides.
 */
@ApplicationScoped
public class TaskMutations {
    private static final String TASKS = "tasks";

    @Inject
    @ConfigProperty(name = "example.mutation-delay-ms", defaultValue = "0")
    long delayMs;

    @Inject
    @ConfigProperty(name = "example.mutation.declare-changes", defaultValue = "true")
    boolean declareChanges;

    @Inject
    TaskRepository repository;

    @Produces
    @MutationDefinition
    Mutation addTask() {
        return Mutation.builder("add_task")
                .param("id", Param.uuid()) // the client's own id, so that its optimistic row is the server's row
                .param("title", Param.string().required().maxLength(TaskInput.MAX_TITLE))
                .param("assignee_id", Param.uuid())
                .handler(this::addTask)
                .build();
    }

    @Produces
    @MutationDefinition
    Mutation toggleTask() {
        return Mutation.builder("toggle_task")
                .param("id", Param.uuid().required())
                .param("done", Param.bool().required())
                .handler(this::toggleTask)
                .build();
    }

    @Produces
    @MutationDefinition
    Mutation renameTask() {
        return Mutation.builder("rename_task")
                .param("id", Param.uuid().required())
                .param("title", Param.string().required().maxLength(TaskInput.MAX_TITLE))
                .handler(this::renameTask)
                .build();
    }

    @Produces
    @MutationDefinition
    Mutation deleteTask() {
        return Mutation.builder("delete_task")
                .param("id", Param.uuid().required())
                .handler(this::deleteTask)
                .build();
    }

    /** Deletes the workspace's done tasks; only for admins (403 {@code forbidden} before the handler runs). */
    @Produces
    @MutationDefinition
    Mutation clearDone() {
        return Mutation.builder("clear_done")
                .requiresRole("admin")
                .handler(this::clearDone)
                .build();
    }

    /** Reorders a task: the list is sorted by position (then id), as with {@code PATCH /api/tasks/{id}}. */
    @Produces
    @MutationDefinition
    Mutation moveTask() {
        return Mutation.builder("move_task")
                .param("id", Param.uuid().required())
                .param("position", Param.integer().required().min(0).max(1_000_000))
                .handler(this::moveTask)
                .build();
    }

    /**
     * Inserts through {@link TaskRepository}, the bean the REST API writes with, on its own
     * DataSource connection: inside the mutation's JTA transaction that connection is enlisted in
     * it, so the title rule, checked after the insert, rolls the repository's write back too.
     */
    private MutationResult addTask(MutationContext context) throws Exception {
        pause();
        MutationQuerier db = context.querier();
        String workspace = context.workspaceId();
        String title = title(context);
        UUID assignee = context.params().has("assignee_id") ? context.params().uuid("assignee_id") : null;
        if (assignee != null && db.queryLong("select count(*) from users where id = ? and workspace_id = ?",
                assignee, workspace) == 0) {
            throw new InvalidParamsException("assignee_id", "param 'assignee_id' does not name a user of this workspace");
        }
        UUID wanted = context.params().has("id") ? context.params().uuid("id") : UUID.randomUUID();
        String id = repository.create(workspace, wanted, title, Optional.ofNullable(assignee))
                .orElseThrow(() -> new MutationRejectedException("id_taken", "A task with this id already exists"))
                .getString("id");
        requireUniqueTitle(db, workspace, title, UUID.fromString(id));
        return result(Json.createObjectBuilder().add("id", id).build(), Change.insert(TASKS, id, workspace));
    }

    private MutationResult toggleTask(MutationContext context) throws Exception {
        pause();
        UUID id = context.params().uuid("id");
        updateOne(context, "update tasks set done = ?, updated_at = now() where id = ? and workspace_id = ?",
                context.params().bool("done"), id, context.workspaceId());
        return result(JsonValue.NULL, Change.update(TASKS, id.toString(), context.workspaceId(), "done"));
    }

    private MutationResult renameTask(MutationContext context) throws Exception {
        pause();
        UUID id = context.params().uuid("id");
        String title = title(context);
        updateOne(context, "update tasks set title = ?, updated_at = now() where id = ? and workspace_id = ?",
                title, id, context.workspaceId());
        requireUniqueTitle(context.querier(), context.workspaceId(), title, id);
        return result(JsonValue.NULL, Change.update(TASKS, id.toString(), context.workspaceId(), "title"));
    }

    private MutationResult deleteTask(MutationContext context) throws Exception {
        pause();
        UUID id = context.params().uuid("id");
        updateOne(context, "delete from tasks where id = ? and workspace_id = ?", id, context.workspaceId());
        return result(JsonValue.NULL, Change.delete(TASKS, id.toString(), context.workspaceId()));
    }

    private MutationResult moveTask(MutationContext context) throws Exception {
        pause();
        UUID id = context.params().uuid("id");
        updateOne(context, "update tasks set position = ?, updated_at = now() where id = ? and workspace_id = ?",
                context.params().intValue("position"), id, context.workspaceId());
        return result(JsonValue.NULL, Change.update(TASKS, id.toString(), context.workspaceId(), "position"));
    }

    /**
     * The handler's result: with its declared change (views re-run at commit), or, with
     * {@code example.mutation.declare-changes=false}, without it (views wait for the detector's
     * report of the transaction).
     */
    private MutationResult clearDone(MutationContext context) throws Exception {
        pause();
        List<String> deleted = context.querier().query("delete from tasks where workspace_id = ? and done returning id",
                row -> row.getString("id"), context.workspaceId());
        Change[] changes = deleted.stream().map(id -> Change.delete(TASKS, id, context.workspaceId()))
                .toArray(Change[]::new);
        return result(Json.createObjectBuilder().add("deleted", deleted.size()).build(), changes);
    }

    private MutationResult result(JsonValue data, Change... changes) {
        return declareChanges ? MutationResult.of(data, changes) : MutationResult.of(data);
    }

    /** Runs a statement that must touch exactly the caller's task. */
    private static void updateOne(MutationContext context, String sql, Object... args) throws SQLException {
        if (context.querier().update(sql, args) == 0) {
            throw new NotFoundException("no task " + context.params().uuid("id") + " in this workspace");
        }
    }

    /** The title without surrounding blanks; PostgreSQL refuses U+0000 and control characters make no sense. */
    private static String title(MutationContext context) {
        String title = context.params().string("title").strip();
        if (title.isEmpty()) {
            throw new InvalidParamsException("title", "param 'title' must not be blank");
        }
        if (title.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidParamsException("title", "param 'title' must not contain control characters");
        }
        return title;
    }

    /**
     * Refuses a title another task of the workspace has, ignoring case. Checked after the write, in
     * its transaction: the refusal rolls the write back. The workspace's titles are locked until
     * the transaction ends, so two concurrent mutations cannot both take one title.
     */
    private static void requireUniqueTitle(MutationQuerier db, String workspace, String title, UUID self)
            throws SQLException {
        db.query("select pg_advisory_xact_lock(hashtext('example.task-titles:' || ?))", row -> 1, workspace);
        if (db.queryLong("select count(*) from tasks where workspace_id = ? and lower(title) = lower(?) and id <> ?",
                workspace, title, self) > 0) {
            throw new MutationRejectedException("title_taken", "A task with this title already exists");
        }
    }

    /** {@code example.mutation-delay-ms}: lets a person see the optimistic state before the server's answer. */
    private void pause() throws InterruptedException {
        if (delayMs > 0) {
            Thread.sleep(delayMs);
        }
    }
}
