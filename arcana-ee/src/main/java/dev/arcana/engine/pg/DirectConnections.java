package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Opens the change detectors' own connections straight through pgjdbc's {@link Driver}, never
 * from a pool: a pooled connection may be reaped, validated or handed to someone else, and a
 * LISTEN or a replication stream must live exactly as long as the detector holds it. The driver
 * is instantiated rather than found through {@code DriverManager}, which only sees drivers of the
 * system class loader (in Liberty the driver is a shared library of the application).
 *
 * @param url      a {@code jdbc:postgresql:} URL
 * @param user     the role (for WAL mode it needs {@code REPLICATION})
 * @param password the password, or null
 */
public record DirectConnections(String url, String user, String password) {

    /** Bounds every blocking read, so that a silently dead network is noticed (heartbeats run well inside it). */
    static final int SOCKET_TIMEOUT_SECONDS = 30;
    static final int CONNECT_TIMEOUT_SECONDS = 10;

    public DirectConnections {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("change detection needs a jdbc:postgresql: URL, not '" + url + "'");
        }
    }

    /** A plain connection (LISTEN, trigger installation), autocommit on. */
    public Connection open(String applicationName) throws SQLException {
        return connect(base(applicationName));
    }

    /** A logical replication connection ({@code replication=database}, simple query mode). */
    public Connection openReplication(String applicationName) throws SQLException {
        Properties properties = base(applicationName);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "9.4");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return connect(properties);
    }

    private Properties base(String applicationName) {
        Properties properties = new Properties();
        if (user != null) {
            PGProperty.USER.set(properties, user);
        }
        if (password != null) {
            PGProperty.PASSWORD.set(properties, password);
        }
        PGProperty.APPLICATION_NAME.set(properties, applicationName);
        PGProperty.CONNECT_TIMEOUT.set(properties, CONNECT_TIMEOUT_SECONDS);
        PGProperty.SOCKET_TIMEOUT.set(properties, SOCKET_TIMEOUT_SECONDS);
        PGProperty.TCP_KEEP_ALIVE.set(properties, true);
        return properties;
    }

    private Connection connect(Properties properties) throws SQLException {
        Connection connection = new Driver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("pgjdbc does not accept the URL '" + url + "'");
        }
        return connection;
    }

    @Override
    public String toString() {
        return "DirectConnections[url=" + url + ", user=" + user + "]"; // never the password
    }
}
