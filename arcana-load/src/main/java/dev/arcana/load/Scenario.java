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
 * <p>All clients of a workspace act as one user, so that clients with equal subscriptions share a
 * query instance (the example's graphs share per identity): clients / workspaces subscribers per
 * instance.
 */
public record Scenario(String name, int clients, int workspaces, int subscriptionsPerClient, int commitsPerSecond,
                       int durationSeconds, int tasksPerWorkspace) {

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
    }

    /** The scenarios, by name. */
    public static final List<Scenario> PRESETS = List.of(
            new Scenario("smoke", 50, 5, 2, 20, 10, 20),
            new Scenario("light", 100, 10, 1, 1, 30, 20),
            new Scenario("load", 1_000, 100, 1, 200, 60, 20),
            new Scenario("idle", 10_000, 1_000, 1, 0, 10, 20));

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
        return new Scenario(name, clients, workspaces, subscriptionsPerClient, commitsPerSecond, seconds, tasksPerWorkspace);
    }

    /** The same scenario at another commit rate, named {@code <name>-<rate>ps} in reports. */
    public Scenario withRate(int perSecond) {
        return new Scenario(name + "-" + perSecond + "ps", clients, workspaces, subscriptionsPerClient, perSecond,
                durationSeconds, tasksPerWorkspace);
    }

    public Scenario withClients(int count, int spaces) {
        return new Scenario(name, count, spaces, subscriptionsPerClient, commitsPerSecond, durationSeconds, tasksPerWorkspace);
    }

    @Override
    public String toString() {
        return name + " (" + clients + " clients in " + workspaces + " workspaces, " + subscriptionsPerClient
                + " subscription(s) each, " + commitsPerSecond + " commits/s for " + durationSeconds + " s)";
    }
}
