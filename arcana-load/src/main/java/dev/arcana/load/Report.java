package dev.arcana.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown report of a driver run: one table row per scenario run, then the naive ratios. */
final class Report {
    private Report() {
    }

    static String summaryLine(ScenarioResult r) {
        return String.format(Locale.ROOT,
                "   %s/%s: %d commits in %.1f s, latency p50 %s p95 %s p99 %s max %s (commit → NOTIFY p50 %s p99 %s), %.0f frames/s, "
                        + "%.2f factory runs/commit, heap %s, server CPU %s, lost views %d, duplicates %d, gaps %d%s",
                r.scenario().name(), r.label(), r.commits(), r.seconds(), ScenarioRunner.ms(r.percentileMicros(50)),
                ScenarioRunner.ms(r.percentileMicros(95)), ScenarioRunner.ms(r.percentileMicros(99)),
                ScenarioRunner.ms(r.maxMicros()), ScenarioRunner.ms(LatencyRecorder.percentile(r.notifyMicros(), 50)),
                ScenarioRunner.ms(LatencyRecorder.percentile(r.notifyMicros(), 99)), r.framesPerSecond(),
                r.factoryRunsPerCommit(), ScenarioRunner.kb(r.heapUsedKb()), cores(r.serverCpuCores()), r.mismatchedViews(), r.duplicates(),
                r.gaps(), r.firstProblem().isEmpty() ? "" : " (first: " + r.firstProblem() + ")");
    }

    static String markdown(String header, List<ScenarioResult> results, Optional<DiscardRun.Result> discard) {
        StringBuilder md = new StringBuilder(header).append("\n\n");
        md.append("| scenario | strategy | clients / workspaces / subs | commits (rate) | p50 | p95 | p99 | max "
                + "| commit → NOTIFY p50 / p99 | frames/s | factory runs / commit | instances | server heap (per client) "
                + "| server CPU | machine busy | lost / dup / gaps |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            Scenario s = r.scenario();
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %d / %d / %d | %d (%.0f/s) | %s | %s | %s | %s | %s / %s | %.0f | %.2f | %d | %s (%s) | %s | %s | %d / %d / %d |\n",
                    s.name(), r.label(), s.clients(), s.workspaces(), s.subscriptionsPerClient(), r.commits(),
                    r.commits() / r.seconds(), ScenarioRunner.ms(r.percentileMicros(50)),
                    ScenarioRunner.ms(r.percentileMicros(95)), ScenarioRunner.ms(r.percentileMicros(99)),
                    ScenarioRunner.ms(r.maxMicros()), ScenarioRunner.ms(LatencyRecorder.percentile(r.notifyMicros(), 50)),
                    ScenarioRunner.ms(LatencyRecorder.percentile(r.notifyMicros(), 99)), r.framesPerSecond(),
                    r.factoryRunsPerCommit(), r.queryInstances(),
                    ScenarioRunner.kb(r.heapUsedKb()),
                    r.heapPerClientKb() < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f KiB", r.heapPerClientKb()),
                    cores(r.serverCpuCores()),
                    r.machineCpuBusy() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", r.machineCpuBusy() * 100),
                    r.mismatchedViews() + r.uncreditedCommits(), r.duplicates(), r.gaps()));
        }
        for (ScenarioResult shared : results) {
            for (ScenarioResult naive : results) {
                if (shared.label().equals("shared") && naive.label().equals("naive")
                        && shared.scenario().name().equals(naive.scenario().name())
                        && shared.commits() > 0 && naive.commits() > 0) {
                    md.append(String.format(Locale.ROOT,
                            "\n%s, naive / shared: %.1f× the factory runs per commit, %.1f× the p99 latency, "
                                    + "%.1f× the p50.\n",
                            shared.scenario().name(), naive.factoryRunsPerCommit() / shared.factoryRunsPerCommit(),
                            naive.percentileMicros(99) / (double) Math.max(1, shared.percentileMicros(99)),
                            naive.percentileMicros(50) / (double) Math.max(1, shared.percentileMicros(50))));
                }
            }
        }
        discard.ifPresent(d -> md.append(String.format(Locale.ROOT,
                "\nDiscard: %d row changes to a workspace without live views: committed in %.2f s (%.0f/s), "
                        + "all %d seen by the engine after %.2f s (%.0f changes/s), %d ignored, %d factory runs.\n",
                d.rows(), d.writeSeconds(), d.rows() / d.writeSeconds(), d.seen(), d.engineSeconds(),
                d.seen() / d.engineSeconds(), d.ignored(), d.factoryRuns())));
        return md.toString();
    }

    static void write(Path dir, String markdown) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("load-report.md"), markdown);
    }

    private static String cores(double cores) {
        return cores < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f cores", cores);
    }
}
