package dev.arcana.load;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Click → server-confirmed in headless Chromium ({@code --clicks N}): runs the example page's click benchmark
 * ({@code arcana-browser-it/src/bench/click-bench.mjs}: node, playwright-core, Debian's chromium) against one server
 * variant and reads its latencies; {@link #table} renders the variants side by side.
 */
final class ClickBench {
    /**
     * Latencies from the click, microseconds, each sorted: the optimistic row shown, the server-confirmed state,
     * the row at the other page; and where the time goes: the mutate frame sent, the server's next frame arrived,
     * the answer arrived (in the page); and on the browser's network stack, from the frame's departure: the next
     * frame in, the answer in.
     */
    record Result(String variant, long[] shown, long[] confirmed, long[] other, long[] sent, long[] firstFrame,
                  long[] answered, long[] wireFirst, long[] wireAnswer) {
    }

    private ClickBench() {
    }

    /**
     * @param script  click-bench.mjs; its module's {@code node_modules} must hold playwright-core
     * @param baseUrl the example's root
     */
    static Result run(Path script, URI baseUrl, int clicks, String variant) throws IOException, InterruptedException {
        Path module = script.toAbsolutePath().normalize().getParent().getParent().getParent();
        if (!Files.isDirectory(module.resolve("node_modules/playwright-core"))) {
            throw new IllegalStateException("--clicks needs playwright-core in " + module.resolve("node_modules")
                    + ": run `npm ci` there (the browser tests' build does)");
        }
        System.out.println("== clicks: " + clicks + " optimistic adds in headless Chromium (" + variant + ")");
        ProcessBuilder node = new ProcessBuilder("node", script.toString(), "--clicks=" + clicks)
                .directory(module.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        node.environment().put("ARCANA_BASE_URL", baseUrl.toString().replaceAll("/+$", ""));
        Process process = node.start();
        String last = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                last = line;
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the click benchmark did not end within 10 minutes");
        }
        if (process.exitValue() != 0 || last == null) {
            throw new IllegalStateException("the click benchmark failed (exit " + process.exitValue() + ")");
        }
        return parse(variant, last);
    }

    /** The script's result line, {@code {"shown":[ms...],"confirmed":[...],"other":[...]}}. */
    static Result parse(String variant, String line) {
        JsonObject result = Jsons.parse(line);
        return new Result(variant, micros(result.getJsonArray("shown")), micros(result.getJsonArray("confirmed")),
                micros(result.getJsonArray("other")), micros(result.getJsonArray("sent")),
                micros(result.getJsonArray("firstFrame")), micros(result.getJsonArray("answered")),
                micros(result.getJsonArray("wireFirst")), micros(result.getJsonArray("wireAnswer")));
    }

    private static long[] micros(JsonArray millis) {
        long[] sorted = millis.getValuesAs(JsonNumber.class).stream()
                .mapToLong(ms -> Math.round(ms.doubleValue() * 1000)).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** The variants' rows, then detector path / fast path when both ran. */
    static void table(StringBuilder md, List<Result> results) {
        md.append("\nClicks in headless Chromium (the example page: type a title, click Add; from the click):\n\n"
                + "| variant | clicks | click → optimistic row shown p50 / p90 / p99 / max "
                + "| click → server-confirmed p50 / p90 / p99 / max | click → other page shows it p50 / p90 / p99 / max |\n"
                + "|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s |%n", r.variant(), r.confirmed().length,
                    spread(r.shown()), spread(r.confirmed()), spread(r.other())));
        }
        md.append("\nWhere a click's time goes (p50, ms). In the page, from the click: the mutate frame handed to the "
                + "WebSocket, the server's next frame (the mutation's first diff) and the mutate_ok reaching the page's "
                + "main thread (before the SDK's handler; the page handles the diffs in between), the confirmed state "
                + "shown. On the browser's network stack (DevTools protocol), from the frame's departure: the next frame "
                + "and the mutate_ok in.\n\n"
                + "| variant | page: frame sent | page: first frame back | page: answer | page: confirmed "
                + "| wire: first frame back | wire: answer |\n|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", r.variant(), p50(r.sent()),
                    p50(r.firstFrame()), p50(r.answered()), p50(r.confirmed()), p50(r.wireFirst()),
                    p50(r.wireAnswer())));
        }
        Result fast = find(results, "fast-path");
        Result detector = find(results, "detector-path");
        if (fast != null && detector != null) {
            md.append(String.format(Locale.ROOT, "%nClicks, detector path / fast path: confirmed %.1f× the p50, %.1f× "
                            + "the p99; other page %.1f× the p50, %.1f× the p99.%n",
                    Report.ratio(detector.confirmed(), fast.confirmed(), 50),
                    Report.ratio(detector.confirmed(), fast.confirmed(), 99),
                    Report.ratio(detector.other(), fast.other(), 50), Report.ratio(detector.other(), fast.other(), 99)));
        }
    }

    private static String spread(long[] sorted) {
        return String.format(Locale.ROOT, "%.1f / %.1f / %.1f / %.1f ms", LatencyRecorder.percentile(sorted, 50) / 1e3,
                LatencyRecorder.percentile(sorted, 90) / 1e3, LatencyRecorder.percentile(sorted, 99) / 1e3,
                sorted.length == 0 ? -1 : sorted[sorted.length - 1] / 1e3);
    }

    private static String p50(long[] sorted) {
        return String.format(Locale.ROOT, "%.1f", LatencyRecorder.percentile(sorted, 50) / 1e3);
    }

    private static Result find(List<Result> results, String variant) {
        return results.stream().filter(r -> r.variant().equals(variant)).findFirst().orElse(null);
    }
}
