package dev.arcana.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The Liberty server that the build created for the driver (wlp dir + server name); server.xml variables such as
 * {@code http.port} take environment variables such as {@code http_port}.
 */
final class LibertyServer implements ManagedServer {
    private final Path wlp;
    private final String name;
    private final int httpPort;
    private final int dbPort;
    private final int coreThreads;

    /**
     * @param coreThreads the Liberty default executor's core threads (0: Liberty's default, 2 per core).
     *                    A WebSocket subscribe blocks a pool thread until the view's first run, which
     *                    needs a thread of the same pool: with 4 threads, 4 concurrent subscribes of
     *                    new views wait for the load timeout (see BENCHMARKS.md).
     */
    LibertyServer(Path wlp, String name, int httpPort, int dbPort, int coreThreads) {
        this.wlp = wlp;
        this.name = name;
        this.httpPort = httpPort;
        this.dbPort = dbPort;
        this.coreThreads = coreThreads;
    }

    @Override
    public String description() {
        return "Liberty server `" + name + "`";
    }

    @Override
    public URI baseUrl() {
        return URI.create("http://localhost:" + httpPort + "/");
    }

    @Override
    public void start(Map<String, String> env, String jvmArgs) throws IOException, InterruptedException {
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
        if (!jvmArgs.isBlank()) {
            builder.environment().put("JVM_ARGS", jvmArgs);
        }
        ManagedServer.run(builder, "start");
        awaitPing(Duration.ofSeconds(120));
    }

    @Override
    public int dbPort() {
        return dbPort;
    }

    @Override
    public void stop() throws IOException, InterruptedException {
        ManagedServer.run(new ProcessBuilder(wlp.resolve("bin/server").toString(), "stop", name), "stop");
    }

    /** From the pid file Liberty writes. */
    @Override
    public long pid() {
        Path file = wlp.resolve("usr/servers/.pid/" + name + ".pid");
        try {
            return Long.parseLong(Files.readString(file).trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
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
