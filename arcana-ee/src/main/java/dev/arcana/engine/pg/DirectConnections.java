package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
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

    /**
     * URL parameters that pgjdbc would let win over the properties this class sets. A URL read from
     * a DataSource's connection metadata carries every property of that DataSource (pgjdbc's
     * {@code BaseDataSource.getUrl()}), e.g. {@code ApplicationName=PostgreSQL JDBC Driver}: kept,
     * they would unname the detector's connections and undo its timeouts.
     */
    static final Set<String> OWNED_PARAMETERS = Set.of("applicationname", "sockettimeout", "connecttimeout",
            "tcpkeepalive", "replication", "preferquerymode", "assumeminserverversion");

    public DirectConnections {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("change detection needs a jdbc:postgresql: URL, not '" + url + "'");
        }
        url = withoutOwnedParameters(url);
    }

    /** The URL without the parameters in {@link #OWNED_PARAMETERS}; the others (ssl, options, ...) stay. */
    static String withoutOwnedParameters(String url) {
        int query = url.indexOf('?');
        if (query < 0) {
            return url;
        }
        String kept = Arrays.stream(url.substring(query + 1).split("&"))
                .filter(parameter -> !parameter.isEmpty())
                .filter(parameter -> !OWNED_PARAMETERS.contains(
                        parameter.substring(0, parameter.indexOf('=') < 0 ? parameter.length() : parameter.indexOf('='))
                                .toLowerCase(Locale.ROOT)))
                .collect(Collectors.joining("&"));
        return url.substring(0, query) + (kept.isEmpty() ? "" : "?" + kept);
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
        int query = url.indexOf('?');
        // never the password, which a URL's parameters may carry
        return "DirectConnections[url=" + (query < 0 ? url : url.substring(0, query) + "?...") + ", user=" + user + "]";
    }
}
