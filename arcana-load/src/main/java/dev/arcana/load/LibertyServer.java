package dev.arcana.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Liberty server that the build created for the driver (wlp dir + server name), started and
 * stopped by the driver with the engine settings of each run as environment variables (MicroProfile
 * Config reads {@code ARCANA_STRATEGY} for {@code arcana.strategy}; server.xml variables such as
 * {@code http.port} take {@code http_port}).
 */
final class LibertyServer {
    private final Path wlp;
    private final String name;
    private final int httpPort;
    private final int dbPort;

    LibertyServer(Path wlp, String name, int httpPort, int dbPort) {
        this.wlp = wlp;
        this.name = name;
        this.httpPort = httpPort;
        this.dbPort = dbPort;
    }

    URI baseUrl() {
        return URI.create("http://localhost:" + httpPort + "/");
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + dbPort + "/postgres";
    }

    /**
     * Starts the server with extra environment variables and waits until the app answers /api/ping.
     *
     * @param coreThreads the Liberty default executor's core threads (0: Liberty's default, 2 per core).
     *                    A WebSocket subscribe blocks a pool thread until the view's first run, which
     *                    needs a thread of the same pool: with 4 threads, 4 concurrent subscribes of
     *                    new views wait for the load timeout (see BENCHMARKS.md).
     */
    void start(Map<String, String> env, int coreThreads) throws IOException, InterruptedException {
        Path overrides = wlp.resolve("usr/servers/" + name + "/configDropins/overrides");
        Files.createDirectories(overrides);
        Path executor = overrides.resolve("load-driver-executor.xml");
        if (coreThreads > 0) {
            Files.writeString(executor, "<server>\n  <executor coreThreads=\"" + coreThreads + "\"/>\n</server>\n");
        } else {
            Files.deleteIfExists(executor);
        }
        ProcessBuilder builder = new ProcessBuilder(wlp.resolve("bin/server").toString(), "start", name)
                .redirectErrorStream(true);
        builder.environment().put("http_port", Integer.toString(httpPort));
        builder.environment().put("arcana_example_db_port", Integer.toString(dbPort));
        builder.environment().putAll(env);
        run(builder, "start");
        awaitPing(Duration.ofSeconds(120));
    }

    int dbPort() {
        return dbPort;
    }

    void stop() throws IOException, InterruptedException {
        run(new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name).redirectErrorStream(true), "stop");
    }

    /** The server JVM's pid, from the pid file Liberty writes; 0 when absent. */
    long pid() {
        Path file = wlp.resolve("usr/servers/.pid/" + name + ".pid");
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void run(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("server " + what + " timed out: " + output);
        }
        System.out.println("[load] server " + what + ": " + output.strip().replace('\n', ' '));
    }

    private void awaitPing(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(baseUrl().resolve("api/ping"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"ok\":true")) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250); // polling a server that is starting; no event to wait on
        }
        throw new IllegalStateException("the example app did not answer /api/ping within " + timeout + ": " + last);
    }
}
