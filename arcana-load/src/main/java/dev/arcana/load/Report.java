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
        if (r.mutations() != null) {
            return mutationSummaryLine(r);
        }
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

    private static String mutationSummaryLine(ScenarioResult r) {
        ScenarioResult.MutationFigures m = r.mutations();
        return String.format(Locale.ROOT,
                "   %s/%s: %d mutations in %.1f s (%d answered), round trip p50 %s p90 %s p99 %s max %s; mutate → other "
                        + "clients' frame p50 %s p90 %s p99 %s max %s (mutate → NOTIFY p50 %s p99 %s); %.2f factory "
                        + "runs/mutation; errors %d, unanswered %d, replayed %d, reply before own view %d, skipped %d; "
                        + "audit: %d committed, %d twice; lost views %d, uncredited %d, duplicates %d, gaps %d%s",
                r.scenario().name(), r.label(), r.commits(), r.seconds(), m.roundTripMicros().length,
                p(m.roundTripMicros(), 50), p(m.roundTripMicros(), 90), p(m.roundTripMicros(), 99), max(m.roundTripMicros()),
                p(r.latenciesMicros(), 50), p(r.latenciesMicros(), 90), p(r.latenciesMicros(), 99), max(r.latenciesMicros()),
                p(r.notifyMicros(), 50), p(r.notifyMicros(), 99), r.factoryRunsPerCommit(), m.counts().errors(),
                m.unanswered(), m.counts().replayed(), m.counts().notYetVisible(), m.counts().skipped(), m.audit(),
                m.committedTwice(), r.mismatchedViews(), r.uncreditedCommits(), r.duplicates(), r.gaps(),
                firstProblem(r));
    }

    private static String firstProblem(ScenarioResult r) {
        String first = !r.firstProblem().isEmpty() ? r.firstProblem()
                : r.mutations() != null ? r.mutations().counts().firstProblem() : "";
        return first.isEmpty() ? "" : " (first: " + first + ")";
    }

    private static String p(long[] sorted, double percentile) {
        return ScenarioRunner.ms(LatencyRecorder.percentile(sorted, percentile));
    }

    private static String max(long[] sorted) {
        return ScenarioRunner.ms(sorted.length == 0 ? -1 : sorted[sorted.length - 1]);
    }

    static String markdown(String header, List<ScenarioResult> results, Optional<DiscardRun.Result> discard,
                           List<ClickBench.Result> clicks) {
        StringBuilder md = new StringBuilder(header).append("\n\n");
        List<ScenarioResult> mutationResults = results.stream().filter(r -> r.mutations() != null).toList();
        results = results.stream().filter(r -> r.mutations() == null).toList();
        if (!results.isEmpty()) {
            commitTable(md, results);
        }
        if (!mutationResults.isEmpty()) {
            mutationTable(md, mutationResults);
        }
        List<ScenarioResult> withHops = results.stream().filter(r -> r.runHops() != null).toList();
        if (!withHops.isEmpty()) {
            hopsTable(md, withHops);
        }
        for (ScenarioResult r : results) {
            Storm.Result storm = r.storm();
            if (storm != null) {
                md.append(String.format(Locale.ROOT, "%nStorm (%s, %s): %s for all %d clients while the writes "
                                + "went on; every client reconnected and synced all its views after **%.1f s** "
                                + "(per client p50 %d ms, p99 %d ms; %d attempts, %d never back; meanwhile server CPU %s, "
                                + "machine %s busy); at the end %s.%n",
                        r.scenario().name(), r.label(), storm.what(), storm.clientMillis().length + storm.failed(),
                        storm.seconds(),
                        storm.percentileMillis(50), storm.percentileMillis(99), storm.attempts(), storm.failed(),
                        cores(storm.serverCores()), storm.machineBusy() < 0 ? "n/a"
                                : String.format(Locale.ROOT, "%.0f %%", 100 * storm.machineBusy()),
                        r.consistent() ? "every client equal to a fresh query, nothing lost"
                                : "NOT consistent: " + r.firstProblem()));
            }
        }
        discard.ifPresent(d -> md.append(String.format(Locale.ROOT,
                "\nDiscard: %d row changes to a workspace without live views: committed in %.2f s (%.0f/s), "
                        + "all %d seen by the engine after %.2f s (%.0f changes/s), %d ignored, %d factory runs.\n",
                d.rows(), d.writeSeconds(), d.rows() / d.writeSeconds(), d.seen(), d.engineSeconds(),
                d.seen() / d.engineSeconds(), d.ignored(), d.factoryRuns())));
        if (!clicks.isEmpty()) {
            ClickBench.table(md, clicks);
        }
        return md.toString();
    }

    /**
     * Where the time goes: commit → NOTIFY (the driver's own listener) next to the engine's hops during
     * the measured run ({@link HopWindow}: the warm-up and earlier scenarios left out).
     */
    private static void hopsTable(StringBuilder md, List<ScenarioResult> results) {
        md.append("\nWhere the time goes (p50 / p99, ms; the engine's hops during the measured run, see PROTOCOL.md "
                + "\"run_hops\"):\n\n");
        md.append("| scenario | strategy | commit → frame | the write itself (statement → commit returned) "
                + "| commit → NOTIFY | change → run start | run | diff + hand-over "
                + "| change → handed to transport | handed over → written to the socket |\n"
                + "|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s / %s | %s / %s | %s / %s | %s | %s | %s | %s | %s |%n",
                    r.scenario().name(), r.label(), ScenarioRunner.ms(r.percentileMicros(50)),
                    ScenarioRunner.ms(r.percentileMicros(99)), p(r.writeMicros(), 50), p(r.writeMicros(), 99),
                    p(r.notifyMicros(), 50), p(r.notifyMicros(), 99),
                    hop(r, "waited"), hop(r, "run"), hop(r, "pushed"), hop(r, "total"), hop(r, "written")));
        }
    }

    private static String hop(ScenarioResult r, String name) {
        HopWindow.Hop hop = r.runHops().get(name);
        if (hop == null || hop.count() == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2f / %.2f", hop.p50Ms(), hop.p99Ms());
    }

    /**
     * Mutation scenarios: the round trip on the acting connection and "mutate sent → frame" at the
     * other clients, per server variant, then detector path / fast path.
     */
    private static void mutationTable(StringBuilder md, List<ScenarioResult> results) {
        md.append("\nMutations (one acting client per workspace sends `").append(PacedMutator.ACTION)
                .append("`; latencies from the driver's clock just before the mutate frame is sent):\n\n");
        md.append("| scenario | variant | clients / workspaces (acting) / subs | mutations sent (rate) | answered "
                + "| round trip p50 | p90 | p99 | max | mutate → other clients' frame p50 | p90 | p99 | max "
                + "| mutate → NOTIFY p50 / p99 | frames/s | factory runs / mutation | server CPU | machine busy "
                + "| errors / unanswered / replayed / reply before own view | committed (audit) / twice "
                + "| lost / dup / gaps |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (ScenarioResult r : results) {
            Scenario s = r.scenario();
            ScenarioResult.MutationFigures m = r.mutations();
            md.append(String.format(Locale.ROOT,
                    "| %s | %s | %d / %d (%d) / %d | %d (%.1f/s) | %d (%.1f/s) | %s | %s | %s | %s | %s | %s | %s | %s "
                            + "| %s / %s | %.0f | %.2f | %s | %s | %d / %d / %d / %d | %d / %d | %d / %d / %d |\n",
                    s.name(), r.label(), s.clients(), s.workspaces(), s.workspaces(), s.subscriptionsPerClient(),
                    r.commits(), r.commits() / r.seconds(), m.roundTripMicros().length,
                    m.roundTripMicros().length / r.seconds(),
                    p(m.roundTripMicros(), 50), p(m.roundTripMicros(), 90), p(m.roundTripMicros(), 99),
                    max(m.roundTripMicros()),
                    p(r.latenciesMicros(), 50), p(r.latenciesMicros(), 90), p(r.latenciesMicros(), 99),
                    max(r.latenciesMicros()),
                    p(r.notifyMicros(), 50), p(r.notifyMicros(), 99), r.framesPerSecond(), r.factoryRunsPerCommit(),
                    cores(r.serverCpuCores()),
                    r.machineCpuBusy() < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f %%", r.machineCpuBusy() * 100),
                    m.counts().errors(), m.unanswered(), m.counts().replayed(), m.counts().notYetVisible(),
                    m.audit(), m.committedTwice(),
                    r.mismatchedViews() + r.uncreditedCommits(), r.duplicates(), r.gaps()));
        }
        for (ScenarioResult fast : results) {
            for (ScenarioResult detector : results) {
                if (fast.label().equals("fast-path") && detector.label().equals("detector-path")
                        && fast.scenario().name().equals(detector.scenario().name())) {
                    md.append(String.format(Locale.ROOT,
                            "\n%s, detector path / fast path: round trip %.1f× the p50, %.1f× the p99; mutate → "
                                    + "other clients' frame %.1f× the p50, %.1f× the p99.\n",
                            fast.scenario().name(),
                            ratio(detector.mutations().roundTripMicros(), fast.mutations().roundTripMicros(), 50),
                            ratio(detector.mutations().roundTripMicros(), fast.mutations().roundTripMicros(), 99),
                            ratio(detector.latenciesMicros(), fast.latenciesMicros(), 50),
                            ratio(detector.latenciesMicros(), fast.latenciesMicros(), 99)));
                }
            }
        }
    }

    /** {@code a}'s percentile over {@code b}'s (sorted microseconds). */
    static double ratio(long[] a, long[] b, double percentile) {
        return LatencyRecorder.percentile(a, percentile) / (double) Math.max(1, LatencyRecorder.percentile(b, percentile));
    }

    private static void commitTable(StringBuilder md, List<ScenarioResult> results) {
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
    }

    static void write(Path dir, String markdown) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("load-report.md"), markdown);
    }

    private static String cores(double cores) {
        return cores < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f cores", cores);
    }
}
