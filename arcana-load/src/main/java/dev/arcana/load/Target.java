package dev.arcana.load;

import java.net.URI;

/**
 * The running example app under load: its base URL, its database, how the writer writes, and the
 * server JVM's pid when known (for heap and CPU; 0 = not measured).
 */
public record Target(URI baseUrl, String jdbcUrl, WriteMode writeMode, long serverPid) {

    /** How the writer commits its changes. */
    public enum WriteMode {
        /** Plain SQL on its own connection; needs a change detector (arcana.detector=notify). */
        SQL,
        /** The example's {@code PATCH /api/tasks/{id}}, which notifies the engine explicitly. */
        API
    }

    public static Target of(String baseUrl, String jdbcUrl, WriteMode mode) {
        return new Target(URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/"), jdbcUrl, mode, 0);
    }

    public Target withServerPid(long pid) {
        return new Target(baseUrl, jdbcUrl, writeMode, pid);
    }

    String wsEndpoint() {
        return baseUrl.toString().replaceFirst("^http", "ws") + "arcana/ws";
    }
}
