package dev.arcana.api;

/**
 * A point-in-time view of the engine.
 *
 * @param running        started and not stopped
 * @param graphs         registered graphs
 * @param subscriptions  live subscriptions
 * @param seances        seances holding at least one subscription
 * @param storeRows      rows held in all workspace stores
 * @param queryInstances live query instances (shared by their subscribers)
 * @param factoryRuns    factory runs since start
 * @param factoryErrors  factory runs that failed since start
 * @param changes        changes received since start
 * @param changesIgnored changes that touched no live instance (discarded without a factory run)
 * @param runsInFlight   factory runs in progress now
 * @param maxRunsInFlight the most factory runs in progress at once since start (bounded by the run pool)
 */
public record EngineStats(boolean running, int graphs, int subscriptions, int seances, long storeRows,
                          int queryInstances, long factoryRuns, long factoryErrors, long changes,
                          long changesIgnored, int runsInFlight, long maxRunsInFlight) {
}
