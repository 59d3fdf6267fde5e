package dev.arcana.load;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server with the example app that the driver starts once per strategy and stops after: {@link LibertyServer}
 * (the Liberty server the build created) or {@link ScriptedServer} (WildFly or Payara Micro through the deploy
 * scripts users run). Engine settings reach the app as environment variables (MicroProfile Config reads
 * {@code ARCANA_STRATEGY} for {@code arcana.strategy} on every server).
 */
interface ManagedServer {

    /** What the report's header says about the server. */
    String description();

    URI baseUrl();

    int dbPort();

    default String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + dbPort() + "/postgres";
    }

    /**
     * Starts the server and waits until the app answers {@code /api/ping}.
     *
     * @param env     more environment variables for the server
     * @param jvmArgs more options for the server JVM (blank: none)
     */
    void start(Map<String, String> env, String jvmArgs) throws IOException, InterruptedException;

    /** Stops the server (and one left over by an aborted run); a no-op when none runs. */
    void stop() throws IOException, InterruptedException;

    /** The server JVM's pid; 0 when unknown. */
    long pid();

    /** Runs a start or stop command to its end and returns its output (also printed); its exit code is the caller's to judge by what it then finds. */
    static String run(ProcessBuilder builder, String what) throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("server " + what + " timed out: " + output);
        }
        System.out.println("[load] server " + what + ": " + output.strip().replace('\n', ' '));
        return output;
    }
}
