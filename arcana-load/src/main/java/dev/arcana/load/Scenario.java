package dev.arcana.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One workload: {@code clients} WebSocket clients spread evenly over {@code workspaces}, each
 * holding {@code subscriptionsPerClient} task_list subscriptions; a writer committing
 * {@code commitsPerSecond} single-row changes for {@code durationSeconds} seconds.
 *
 * <p>With {@code mutations}, the writes are not SQL from the driver but WebSocket mutations: in
 * each workspace one of its clients (the acting client) sends {@code rename_task} frames, at
 * {@code commitsPerSecond} in total over all workspaces, and the others watch (see
 * {@link PacedMutator}).
 *
 * <p>All clients of a workspace act as one user, so that clients with equal subscriptions share a
 * query instance (the example's graphs share per identity): clients / workspaces subscribers per
 * instance.
 */
public record Scenario(String name, int clients, int workspaces, int subscriptionsPerClient, int commitsPerSecond,
                       int durationSeconds, int tasksPerWorkspace, boolean mutations) {

    public Scenario {
        if (clients < 1 || workspaces < 1 || clients < workspaces) {
            throw new IllegalArgumentException(name + ": need at least one client per workspace");
        }
        if (subscriptionsPerClient < 1 || subscriptionsPerClient >= tasksPerWorkspace) {
            throw new IllegalArgumentException(name + ": subscriptions per client must be in [1, tasks per workspace)");
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

    public static Scenario named(String name) {
        Scenario scenario = BY_NAME.get(name.toLowerCase(Locale.ROOT));
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "', known: " + BY_NAME.keySet());
        }
        return scenario;
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
                mutations);
    }

    /** The same scenario at another commit rate, named {@code <name>-<rate>ps} in reports. */
    public Scenario withRate(int perSecond) {
        return new Scenario(name + "-" + perSecond + "ps", clients, workspaces, subscriptionsPerClient, perSecond,
                durationSeconds, tasksPerWorkspace, mutations);
    }

    public Scenario withClients(int count, int spaces) {
        return new Scenario(name, count, spaces, subscriptionsPerClient, commitsPerSecond, durationSeconds, tasksPerWorkspace,
                mutations);
    }

    @Override
    public String toString() {
        return name + " (" + clients + " clients in " + workspaces + " workspaces, " + subscriptionsPerClient
                + " subscription(s) each, " + commitsPerSecond + (mutations ? " mutations/s from one acting client per "
                + "workspace" : " commits/s") + " for " + durationSeconds + " s)";
    }
}
