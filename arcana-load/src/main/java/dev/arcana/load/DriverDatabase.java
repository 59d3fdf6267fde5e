package dev.arcana.load;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;

/**
 * A PostgreSQL the driver runs itself, on the port the server would give its own embedded one, for a
 * storm with a server restart: the example's embedded database lives and dies with the application,
 * so data written before the restart would be gone. The server is pointed at it with
 * {@code ARCANA_DB_URL} (its {@code DemoDatabase} then starts nothing).
 */
final class DriverDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final int port;

    private DriverDatabase(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    static DriverDatabase start(int port) throws IOException {
        return new DriverDatabase(EmbeddedPostgres.builder().setPort(port)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4")
                .setServerConfig("max_replication_slots", "4")
                .setServerConfig("max_connections", "200")
                .start(), port);
    }

    /** The server's environment for this database. */
    Map<String, String> serverEnv() {
        return Map.of("ARCANA_DB_URL", "jdbc:postgresql://localhost:" + port + "/postgres",
                "ARCANA_DB_USER", "postgres", "ARCANA_DB_PASSWORD", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
