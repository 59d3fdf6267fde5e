package dev.arcana.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One workload: {@code clients} WebSocket clients spread evenly over {@code workspaces}, each
 * holding {@code subscriptionsPerClient} subscriptions of {@code views}; a writer committing
 * {@code commitsPerSecond} single-row changes for {@code durationSeconds} seconds.
 *
 * <p>With {@code mutations}, the writes are not SQL from the driver but WebSocket mutations: in
 * each workspace one of its clients (the acting client) sends {@code rename_task} frames, at
 * {@code commitsPerSecond} in total over all workspaces, and the others watch (see
 * {@link PacedMutator}).
 *
 * <p>All clients of a workspace act as one user, so that clients with equal subscriptions share a
 * query instance (the example's graphs share per identity). {@link Views#TASK_LIST}: clients /
 * workspaces subscribers per instance. {@link Views#BY_ASSIGNEE}: the predicate graph
 * {@code tasks_by_assignee}, one instance per person of the workspace, each person with one task;
 * subscription k of the workspace (counted over its clients) is of person k modulo the persons.
 */
public record Scenario(String name, int clients, int workspaces, int subscriptionsPerClient, int commitsPerSecond,
                       int durationSeconds, int tasksPerWorkspace, boolean mutations, Views views) {

    /** What the clients subscribe to. */
    public enum Views {
        /** {@code task_list} with limits {@link #limitOf}: the first subscription sees every task. */
        TASK_LIST,
        /** {@code tasks_by_assignee}, one distinct person per subscription. */
        BY_ASSIGNEE
    }

    /** A task-list scenario. */
    public Scenario(String name, int clients, int workspaces, int subscriptionsPerClient, int commitsPerSecond,
                    int durationSeconds, int tasksPerWorkspace, boolean mutations) {
        this(name, clients, workspaces, subscriptionsPerClient, commitsPerSecond, durationSeconds, tasksPerWorkspace,
                mutations, Views.TASK_LIST);
    }

    public Scenario {
        if (clients < 1 || workspaces < 1 || clients < workspaces) {
            throw new IllegalArgumentException(name + ": need at least one client per workspace");
        }
        if (subscriptionsPerClient < 1 || views == Views.TASK_LIST && subscriptionsPerClient >= tasksPerWorkspace) {
            throw new IllegalArgumentException(name + ": subscriptions per client must be in [1, tasks per workspace)");
        }
        if (views == Views.BY_ASSIGNEE && clients / workspaces * subscriptionsPerClient < tasksPerWorkspace) {
            throw new IllegalArgumentException(name + ": every person's view must be subscribed: clients per "
                    + "workspace × subscriptions per client must be at least the tasks (persons) per workspace");
        }
        if (commitsPerSecond < 0 || durationSeconds < 1) {
            throw new IllegalArgumentException(name + ": rate must be >= 0 and duration >= 1 s");
        }
        if (mutations && clients < 2 * workspaces) {
            throw new IllegalArgumentException(name + ": a mutation scenario needs an acting client and at least one "
                    + "other client per workspace");
        }
    }

    /** The scenarios, by name. */
    public static final List<Scenario> PRESETS = List.of(
            new Scenario("smoke", 50, 5, 2, 20, 10, 20, false),
            new Scenario("light", 100, 10, 1, 1, 30, 20, false),
            new Scenario("load", 1_000, 100, 1, 200, 60, 20, false),
            new Scenario("idle", 10_000, 1_000, 1, 0, 10, 20, false),
            // issue 14: 20 acting clients (one per workspace) at 5 mutations/s each, 9 other clients per workspace
            new Scenario("mutate", 200, 20, 1, 100, 60, 20, true),
            // issue 16: one hot query instance (one workspace, one user) written 40 times a second, 10 subscribers
            new Scenario("hot", 10, 1, 1, 40, 30, 20, false));

    private static final Map<String, Scenario> BY_NAME = PRESETS.stream()
            .collect(Collectors.toMap(Scenario::name, Function.identity()));

    /**
     * A preset, or {@code instances-N}: one workspace, N distinct instances of the predicate graph
     * {@code tasks_by_assignee} held by 100 clients (max(1, N / 100) subscriptions each; below 100,
     * clients share the instances), 20 commits/s updating one random task, for 30 s. The clients,
     * and so the frames per commit, are the same for every N: only the number of instances varies.
     */
    public static Scenario named(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.startsWith("instances-")) {
            return instances(lower, Integer.parseInt(lower.substring("instances-".length())));
        }
        Scenario scenario = BY_NAME.get(lower);
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "', known: " + BY_NAME.keySet());
        }
        return scenario;
    }

    private static Scenario instances(String name, int n) {
        if (n < 1 || n > 100 && n % 100 != 0) {
            throw new IllegalArgumentException(name + ": N must be at most 100 or a multiple of 100");
        }
        return new Scenario(name, 100, 1, Math.max(1, n / 100), 20, 30, n, false, Views.BY_ASSIGNEE);
    }

    /** The user every client of {@code workspace} acts as (see the class comment). */
    public String userOf(String workspace) {
        return "user-" + workspace;
    }

    public int clientsPerWorkspace() {
        return clients / workspaces;
    }

    /** The limit param of subscription {@code index}: the first sees every task, the others drop the last ones. */
    public int limitOf(int index) {
        return tasksPerWorkspace - index;
    }

    public Scenario withDuration(int seconds) {
        return new Scenario(name, clients, workspaces, subscriptionsPerClient, commitsPerSecond, seconds, tasksPerWorkspace,
                mutations, views);
    }

    /** The same scenario at another commit rate, named {@code <name>-<rate>ps} in reports. */
    public Scenario withRate(int perSecond) {
        return new Scenario(name + "-" + perSecond + "ps", clients, workspaces, subscriptionsPerClient, perSecond,
                durationSeconds, tasksPerWorkspace, mutations, views);
    }

    public Scenario withClients(int count, int spaces) {
        return new Scenario(name, count, spaces, subscriptionsPerClient, commitsPerSecond, durationSeconds, tasksPerWorkspace,
                mutations, views);
    }

    @Override
    public String toString() {
        return name + " (" + clients + " clients in " + workspaces + " workspaces, " + subscriptionsPerClient
                + (views == Views.BY_ASSIGNEE ? " tasks_by_assignee" : "") + " subscription(s) each, " + commitsPerSecond + (mutations ? " mutations/s from one acting client per "
                + "workspace" : " commits/s") + " for " + durationSeconds + " s)";
    }
}
