package dev.arcana.load;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's state: engine counters from {@code GET /arcana/health}; heap used after a full
 * GC ({@code jcmd <pid> GC.run}, then {@code GC.heap_info}); CPU time of the server JVM from
 * {@code /proc/<pid>/stat} and of the whole machine from {@code /proc/stat}.
 */
final class ServerProbe {
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** USER_HZ: the unit of /proc CPU times on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private final URI baseUrl;
    private final HttpClient http;
    private final long pid;

    ServerProbe(URI baseUrl, HttpClient http, long pid) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.pid = pid;
    }

    /** Engine counters: factory_runs, changes, changes_ignored, query_instances, subscriptions, ... */
    JsonObject stats() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("arcana/health"))
                .timeout(Duration.ofSeconds(10))
                .header("X-Seance-ID", "load-probe").header("X-User-ID", "probe").header("X-Workspace-ID", "load-probe")
                .GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET /arcana/health answered " + response.statusCode() + ": " + response.body());
        }
        return Jsons.parse(response.body()).getJsonObject("data");
    }

    boolean measuresProcess() {
        return pid > 0;
    }

    /** Heap used after a full GC, in KiB; -1 when the pid is unknown or jcmd failed. */
    long heapUsedAfterGcKb() {
        if (pid <= 0) {
            return -1;
        }
        try {
            jcmd("GC.run");
            Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
            return used.find() ? Long.parseLong(used.group(1)) : -1;
        } catch (IOException e) {
            System.err.println("[load] jcmd failed: " + e.getMessage());
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + command + " failed: " + output);
        }
        return output;
    }

    /** The server JVM's and the machine's CPU so far. */
    CpuMark cpuMark() {
        return CpuMark.take(pid);
    }

    /** CPU seconds (user + system) process {@code pid} used so far; -1 when unknown (0, or no such process). */
    private static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is the state (field 3); utime and stime are fields 14 and 15
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Busy and total CPU seconds of the whole machine (all processes, all cores), from /proc/stat. */
    private static double[] machineCpuSeconds() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
        } catch (IOException | RuntimeException e) {
            return new double[] {-1, -1};
        }
    }

    /**
     * The server JVM's and the whole machine's CPU seconds at one moment (-1 where unknown); two marks give the use
     * in between.
     */
    record CpuMark(long nanos, double server, double machineBusy, double machineTotal) {

        static CpuMark take(long pid) {
            double[] machine = machineCpuSeconds();
            return new CpuMark(System.nanoTime(), cpuSeconds(pid), machine[0], machine[1]);
        }

        /** The server's CPU since {@code earlier}, in cores; -1 when unknown. */
        double serverCoresSince(CpuMark earlier) {
            return server < 0 || earlier.server < 0 || nanos <= earlier.nanos ? -1
                    : (server - earlier.server) / ((nanos - earlier.nanos) / 1e9);
        }

        /** The machine's busy share of all its cores since {@code earlier}; -1 when unknown. */
        double machineBusySince(CpuMark earlier) {
            return earlier.machineTotal < 0 || machineTotal <= earlier.machineTotal ? -1
                    : (machineBusy - earlier.machineBusy) / (machineTotal - earlier.machineTotal);
        }
    }
}
