package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.Identity;
import dev.arcana.api.Snapshot;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.pg.NotifyDetector;
import dev.arcana.engine.pg.WalDetector;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The fault the original lost changes on: PostgreSQL stopped for 5 s under a steady write load,
 * then started again (same data directory, same port). For each detector, every client ends equal
 * to a fresh query: nothing committed before, during (nothing commits then) or after is lost.
 * A server of its own, since it is stopped.
 */
class DatabaseOutageTest {
    static final Duration OUTAGE = Duration.ofSeconds(5);
    static final Map<String, Object> PARAMS = Map.of("org_id", UserListFixture.ORG.toString(), "limit", 1000);

    static ScheduledExecutorService executor;
    static Path dataDirectory;
    static int port;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startServer() throws IOException {
        executor = Executors.newScheduledThreadPool(2);
        dataDirectory = Files.createTempDirectory("arcana-outage");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        postgres = start();
        execute("create table users (id uuid primary key, workspace_id text not null, org_id uuid not null, "
                + "name text not null, email text not null, role text not null)",
                "alter table users replica identity full");
    }

    @AfterAll
    static void stopServer() throws IOException {
        executor.shutdownNow();
        if (postgres != null) {
            postgres.close();
        }
        // the data directory outlives each restart on purpose (setCleanDataDirectory(false)): remove it at the end
        try (java.util.stream.Stream<Path> files = Files.walk(dataDirectory)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    static EmbeddedPostgres start() throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(dataDirectory).setCleanDataDirectory(false)
                .setServerConfig("synchronous_commit", "on").setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4").setServerConfig("max_replication_slots", "4")
                .setRegisterShutdownHook(false).start();
    }

    static String url() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    static DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url());
        dataSource.setUser("postgres");
        dataSource.setConnectTimeout(2);
        return dataSource;
    }

    static void execute(String... sql) {
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static ChangeDetector detector(String mode, Registry registry) {
        DirectConnections connections = new DirectConnections(url(), "postgres", null);
        Duration backoffMax = Duration.ofMillis(500);
        return switch (mode) {
            case "notify" -> new NotifyDetector(connections, registry::tableDependencies,
                    new NotifyDetector.Options("arcana_changes", true, Duration.ofMillis(100), Duration.ofMillis(500),
                            Duration.ofMillis(50), backoffMax), Thread::new);
            case "wal" -> new WalDetector(connections, registry::tableDependencies,
                    new WalDetector.Options("arcana_outage_test", "arcana_outage", false, Duration.ofMillis(500),
                            Duration.ofMillis(50), backoffMax, 10_000, true), Thread::new);
            default -> throw new IllegalArgumentException(mode);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"notify", "wal"})
    void postgresStoppedForFiveSecondsUnderWritesLosesNothing(String mode) throws Exception {
        execute("truncate users");
        RecordingTransport transport = new RecordingTransport();
        Function<Registry, ChangeDetector> detectors = registry -> detector(mode, registry);
        ArcanaEngine engine = ArcanaEngine.builder().dataSource(dataSource()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ofMillis(20)).build()).changeDetector(detectors).build();
        engine.register(new UserListFixture().graph());
        engine.start();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger committed = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread writer = new Thread(() -> steadyWrites(writing, committed, failed), "outage-writer");
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> engine.detectorStatus().isUp());
            Identity identity = new Identity("s1", "u1", "acme");
            ClientModel client = new ClientModel("s1", "acme");
            client.apply(engine.subscribe(identity, "user_list", PARAMS));
            writer.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> committed.get() >= 20);

            postgres.close();
            Thread.sleep(OUTAGE.toMillis()); // the outage itself, not a wait for a condition
            postgres = start();
            int before = committed.get();
            await().atMost(Duration.ofSeconds(30)).until(() -> committed.get() >= before + 20);
            writing.set(false);
            writer.join();

            assertThat(failed.get()).as("writes failed during the outage").isPositive();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                client.applyNew(transport.all());
                Snapshot fresh = freshSnapshot(identity);
                assertThat(client.views.get(fresh.paramsHash()).refs).isEqualTo(fresh.refs());
                assertThat(client.rowsOf(fresh.paramsHash())).isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
            });
            assertThat(client.rows.get("users")).hasSizeGreaterThanOrEqualTo(committed.get() / 2);
            assertThat(engine.detectorStatus().isUp()).isTrue();
        } finally {
            writing.set(false);
            engine.stop();
        }
    }

    /** Inserts, and updates of an earlier row, every 20 ms on fresh connections; failures are counted and skipped. */
    private static void steadyWrites(AtomicBoolean writing, AtomicInteger committed, AtomicInteger failed) {
        DataSource dataSource = dataSource();
        String previous = null;
        while (writing.get()) {
            String id = UUID.randomUUID().toString();
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("insert into users values ('" + id + "', 'acme', '" + UserListFixture.ORG
                        + "', 'User " + id.substring(0, 8) + "', '" + id + "@test', 'member')");
                if (previous != null) {
                    statement.execute("update users set email = 'changed-" + id + "@test' where id = '" + previous + "'");
                }
                previous = id;
                committed.incrementAndGet();
            } catch (SQLException e) {
                failed.incrementAndGet();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private Snapshot freshSnapshot(Identity identity) {
        ArcanaEngine fresh = ArcanaEngine.builder().dataSource(dataSource()).transport(new RecordingTransport())
                .executor(executor).build();
        fresh.register(new UserListFixture().graph());
        fresh.start();
        try {
            return fresh.subscribe(new Identity("fresh", identity.userId(), identity.workspaceId()), "user_list", PARAMS);
        } finally {
            fresh.stop();
        }
    }
}
