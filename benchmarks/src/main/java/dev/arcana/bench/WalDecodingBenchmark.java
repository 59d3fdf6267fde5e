package dev.arcana.bench;

import dev.arcana.api.Graph;
import dev.arcana.api.Result;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Transport;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.engine.EngineConfig;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.pg.WalDetector;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * Row changes per second from PostgreSQL's WAL into the engine's invalidator: embedded
 * PostgreSQL 14 ({@code wal_level=logical}), the WAL detector (pgoutput, protocol 1) and an engine
 * whose one graph depends on the table but has no subscriber, so every change is decoded, routed
 * and discarded without a factory run (which this program checks). The clock starts when the
 * writing transaction has committed and stops when the engine has counted its last change.
 *
 * <p>Scenarios: one transaction inserting {@code rows} rows; one updating them (REPLICA IDENTITY
 * FULL, so changed columns are computed from old and new rows); and {@code rows / 10} single-row
 * transactions from 4 writer threads, timed from the first write to the last change counted (the
 * writers' commit rate bounds it). Each is repeated
 * {@code rounds} times; the median is reported.
 *
 * <p>Run: {@code mvn -Pbenchmarks -pl benchmarks exec:exec@wal [-Dwal.rows=100000 -Dwal.rounds=5]}
 * (after {@code mvn -pl arcana-api,arcana-ee install -DskipTests}).
 */
public final class WalDecodingBenchmark {

    /** Commits per second of the last single-row scenario's writers alone. */
    private static double lastWriteRate;

    private WalDecodingBenchmark() {
    }

    /** Drops every delivery: there is no subscriber anyway. */
    static final class NoTransport implements Transport {
        @Override
        public void publish(List<Delivery> deliveries) {
        }

        @Override
        public void disconnectSeance(String seanceId) {
        }
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("wal.rows", 100_000);
        int rounds = Integer.getInteger("wal.rounds", 5);
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setServerConfig("synchronous_commit", "on").setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "4").setServerConfig("max_replication_slots", "4").start()) {
            DataSource dataSource = postgres.getPostgresDatabase();
            execute(dataSource, "create table items (id bigint primary key, ws text not null, label text not null)",
                    "alter table items replica identity full");
            String url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            Graph graph = Graph.builder("items").dependsOn(TableDependency.of("items", "label").tenantColumn("ws"))
                    .factory(ctx -> new Result()).build();
            ArcanaEngine engine = ArcanaEngine.builder().dataSource(dataSource).transport(new NoTransport())
                    .executor(executor).config(EngineConfig.defaults())
                    .changeDetector(registry -> new WalDetector(new DirectConnections(url, "postgres", null),
                            registry::tableDependencies, new WalDetector.Options("arcana_bench", "arcana_bench", false,
                            Duration.ofSeconds(1), Duration.ofMillis(50), Duration.ofSeconds(1), 10_000_000, true),
                            Thread::new))
                    .build();
            engine.register(graph);
            engine.start();
            awaitUp(engine);
            System.out.printf(Locale.ROOT, "%s, %d cores, PostgreSQL %s (embedded), %d rows per round, %d rounds%n",
                    System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors(), version(dataSource), rows, rounds);

            List<Double> insert = new ArrayList<>();
            List<Double> update = new ArrayList<>();
            List<Double> small = new ArrayList<>();
            List<Double> writerRates = new ArrayList<>();
            long next = 0;
            for (int round = 0; round < rounds + 1; round++) { // round 0 warms up
                long first = next;
                double inserted = timed(engine, rows, () -> execute(dataSource, "insert into items select g, 'ws' || (g % 100), 'x' "
                        + "from generate_series(" + first + ", " + (first + rows - 1) + ") g"));
                double updated = timed(engine, rows, () -> execute(dataSource, "update items set label = 'y" + first
                        + "' where id between " + first + " and " + (first + rows - 1)));
                next += rows;
                long smallFirst = next;
                double singles = timed(engine, rows / 10, () -> singleRowTransactions(dataSource, smallFirst, rows / 10),
                        true);
                next += rows / 10;
                double writers = lastWriteRate;
                if (round > 0) {
                    writerRates.add(writers);
                    insert.add(inserted);
                    update.add(updated);
                    small.add(singles);
                }
                System.out.printf(Locale.ROOT, "round %d: insert %.0f/s, update %.0f/s, single-row transactions %.0f/s "
                        + "(writers alone %.0f/s)%n", round, inserted, updated, singles, writers);
            }
            long factoryRuns = engine.stats().factoryRuns();
            long ignored = engine.stats().changesIgnored();
            engine.stop();
            System.out.println();
            System.out.println("| scenario | row changes/s (median of " + rounds + ") |");
            System.out.println("|---|---|");
            System.out.printf(Locale.ROOT, "| one %,d-row INSERT transaction | %,.0f |%n", rows, median(insert));
            System.out.printf(Locale.ROOT, "| one %,d-row UPDATE transaction (old rows compared) | %,.0f |%n", rows, median(update));
            System.out.printf(Locale.ROOT, "| %,d single-row INSERT transactions, 4 writers (first write to last change) | %,.0f |%n", rows / 10, median(small));
            System.out.printf(Locale.ROOT, "| (the 4 writers alone commit) | %,.0f |%n", median(writerRates));
            System.out.printf(Locale.ROOT, "%nfactory runs: %d; changes discarded without a run: %,d%n", factoryRuns, ignored);
            if (factoryRuns != 0) {
                throw new IllegalStateException("changes touching no live view ran " + factoryRuns + " factories");
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Changes per second from the end of {@code write} until the engine counted {@code expected} more. */
    private static double timed(ArcanaEngine engine, long expected, Runnable write) {
        return timed(engine, expected, write, false);
    }

    /** As above; with {@code fromWriteStart} the clock runs from the start of the writes instead. */
    private static double timed(ArcanaEngine engine, long expected, Runnable write, boolean fromWriteStart) {
        long target = engine.stats().changes() + expected;
        long begin = System.nanoTime();
        write.run();
        if (fromWriteStart) {
            lastWriteRate = expected / ((System.nanoTime() - begin) / 1e9);
        }
        long start = fromWriteStart ? begin : System.nanoTime();
        long deadline = start + Duration.ofMinutes(5).toNanos();
        while (engine.stats().changes() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + engine.stats().changes() + " of " + target + " changes");
            }
            LockSupport.parkNanos(200_000);
        }
        return expected / ((System.nanoTime() - start) / 1e9);
    }

    private static void singleRowTransactions(DataSource dataSource, long first, int count) {
        List<Thread> writers = new ArrayList<>();
        int perWriter = count / 4;
        for (int w = 0; w < 4; w++) {
            long from = first + (long) w * perWriter;
            Thread writer = new Thread(() -> {
                try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                    for (long id = from; id < from + perWriter; id++) {
                        statement.execute("insert into items values (" + id + ", 'ws" + (id % 100) + "', 's')");
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            writers.add(writer);
            writer.start();
        }
        for (Thread writer : writers) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitUp(ArcanaEngine engine) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!engine.detectorStatus().isUp()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("WAL detector not up: " + engine.detectorStatus());
            }
            LockSupport.parkNanos(10_000_000);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String version(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getDatabaseProductVersion();
        }
    }

    private static void execute(DataSource dataSource, String... sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
