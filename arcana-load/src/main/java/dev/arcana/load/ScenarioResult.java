package dev.arcana.load;

import jakarta.json.JsonObject;
import java.util.Map;

/**
 * The figures of one scenario run.
 *
 * @param label              e.g. "shared" or "naive" (the server's strategy)
 * @param latenciesMicros    every commit → frame latency, sorted (one per commit per client of its workspace)
 * @param frames             frames the clients received while the writer ran and the clients settled
 * @param factoryRunsPerCommit factory runs during the run / commits
 * @param heapUsedKb         server heap used after a full GC with all clients connected (-1: not measured)
 * @param heapBaselineKb     the same before the clients connected
 * @param serverCpuCores     server JVM CPU seconds / wall seconds while the writer ran (-1: not measured)
 * @param machineCpuBusy     share of all cores busy while the writer ran (driver, server, database, others)
 * @param mismatchedViews    client views that differ from a fresh query at the end (lost updates)
 * @param uncreditedCommits  commits a client never received (an earlier value was the last it saw)
 * @param duplicates         frames that repeated or went back in version
 * @param gaps               version jumps (a frame in between never arrived)
 * @param notifyMicros       commit → NOTIFY at the driver's own LISTEN connection, sorted (SQL writes only)
 * @param writeMicros        each SQL write's own time, statement sent → commit returned, sorted (the "commit"
 *                           instant of the latencies is the statement sent, so they include it)
 * @param mutations          the figures of a mutation scenario, null for SQL writes; there {@code commits} are the
 *                           mutations sent while measuring and {@code latenciesMicros} are "mutate sent → frame" of
 *                           the other (non-acting) clients
 * @param runHops            the engine's hops during the measured run ({@link HopWindow}), null when not reported
 * @param storm              the reconnect storm during the run ({@code --storm-at}), null without one
 */
public record ScenarioResult(Scenario scenario, String label, long commits, double seconds, long[] latenciesMicros,
                             long frames, long factoryRuns, double factoryRunsPerCommit, long changes,
                             int queryInstances, long heapBaselineKb, long heapUsedKb, double serverCpuCores,
                             double machineCpuBusy, int mismatchedViews, long uncreditedCommits, int duplicates,
                             int gaps, int resyncs, String firstProblem, long[] notifyMicros, long[] writeMicros,
                             MutationFigures mutations, Map<String, HopWindow.Hop> runHops,
                             Storm.Result storm) {

    /**
     * What a mutation scenario measured besides the other clients' frames.
     *
     * @param roundTripMicros mutate sent → {@code mutate_ok} on the acting connection, sorted (measured window)
     * @param counts          the mutator's counters (warm-up included)
     * @param unanswered      mutations without a reply 30 s after the last send
     * @param audit           committed renames seen by the driver's audit trigger (warm-up included), -1: unknown
     * @param committedTwice  titles the audit saw committed more than once (a mutation that ran twice)
     */
    public record MutationFigures(long[] roundTripMicros, PacedMutator.Counts counts, int unanswered, long audit,
                                  long committedTwice) {

        public boolean clean() {
            return counts.errors() == 0 && counts.replayed() == 0 && counts.notYetVisible() == 0 && unanswered == 0
                    && committedTwice == 0 && audit == counts.ok();
        }
    }

    public long percentileMicros(double p) {
        return LatencyRecorder.percentile(latenciesMicros, p);
    }

    public long maxMicros() {
        return latenciesMicros.length == 0 ? -1 : latenciesMicros[latenciesMicros.length - 1];
    }

    public double framesPerSecond() {
        return frames / seconds;
    }

    /** Server heap per connected client in KiB, from the heap growth with the clients connected. */
    public double heapPerClientKb() {
        return heapUsedKb < 0 || heapBaselineKb < 0 ? -1 : (heapUsedKb - heapBaselineKb) / (double) scenario.clients();
    }

    /** Nothing lost, nothing duplicated: every view equals a fresh query and every frame came once, in order. */
    public boolean consistent() {
        return mismatchedViews == 0 && uncreditedCommits == 0 && duplicates == 0 && gaps == 0 && resyncs == 0
                && (mutations == null || mutations.clean());
    }
}
