package dev.arcana.arquillian.app;

import dev.arcana.ee.ArcanaRuntime;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The test application's own start-up bean, as a real application would have one: starts an
 * embedded PostgreSQL on port {@value #PORT} and creates the schema when the application starts,
 * and notes the engine's state at that moment (the start-up order test reads it). The deployment's
 * DataSource ({@value #JNDI_NAME}) is defined here, with the driver from WEB-INF/lib: nothing has to
 * be configured in the server.
 */
@DataSourceDefinition(name = ArquillianDatabase.JNDI_NAME,
        className = "org.postgresql.ds.PGSimpleDataSource",
        url = "jdbc:postgresql://localhost:" + ArquillianDatabase.PORT + "/postgres",
        user = "postgres", password = "postgres")
@ApplicationScoped
public class ArquillianDatabase {
    public static final String JNDI_NAME = "java:app/jdbc/arcana-it";
    public static final int PORT = 15436;
    /** Workspace of the rows inserted at start-up. */
    public static final String WORKSPACE = "ws-arq";

    private static final Logger LOG = Logger.getLogger(ArquillianDatabase.class.getName());
    private static final AtomicReference<EmbeddedPostgres> EMBEDDED = new AtomicReference<>();
    /** {@link ArcanaRuntime#state()} while this bean started the database; null until then. */
    private static final AtomicReference<ArcanaRuntime.State> ENGINE_STATE_AT_START = new AtomicReference<>();

    @Inject
    ArcanaRuntime runtime;

    void onStart(@Observes @Initialized(ApplicationScoped.class) Object event) throws IOException, SQLException {
        ENGINE_STATE_AT_START.set(runtime.state());
        EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPort(PORT)
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
        EmbeddedPostgres previous = EMBEDDED.getAndSet(pg);
        if (previous != null) {
            previous.close();
        }
        try (Connection connection = pg.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("create table items (id text primary key, workspace_id text not null, name text not null)");
            statement.execute("insert into items values ('i1', '" + WORKSPACE + "', 'first'), ('i2', '" + WORKSPACE
                    + "', 'second'), ('x1', 'ws-other', 'not visible')");
        }
        LOG.info("arcana-arquillian-it: embedded PostgreSQL started on port " + PORT + ", engine state then: "
                + ENGINE_STATE_AT_START.get());
    }

    static void onStop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        EmbeddedPostgres pg = EMBEDDED.getAndSet(null);
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "arcana-arquillian-it: stopping the embedded PostgreSQL failed", e);
            }
        }
    }

    public static ArcanaRuntime.State engineStateWhenDatabaseStarted() {
        return ENGINE_STATE_AT_START.get();
    }

    /** Runs SQL on the embedded database (not through Arcana). */
    public static void execute(String sql) throws SQLException {
        EmbeddedPostgres pg = EMBEDDED.get();
        if (pg == null) {
            throw new IllegalStateException("the embedded PostgreSQL is not running");
        }
        try (Connection connection = pg.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
