package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.engine.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The visibility check on real transactions: committed, still open, and not yet started. */
class CommitVisibilityTest {
    static TestDatabase.IsolatedSchema schema;

    @BeforeAll
    static void createSchema() {
        schema = TestDatabase.get().isolatedSchema("visibility");
        schema.execute("create table t (id int)");
    }

    private static long invisible(Connection connection, long... xids) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CommitVisibility.INVISIBLE)) {
            Long[] boxed = java.util.Arrays.stream(xids).boxed().toArray(Long[]::new);
            statement.setArray(1, connection.createArrayOf("bigint", boxed));
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static long xidOfOpenTransaction(Connection writer) throws SQLException {
        writer.setAutoCommit(false);
        try (Statement statement = writer.createStatement()) {
            statement.execute("insert into t values (1)");
            try (ResultSet rows = statement.executeQuery("select pg_current_xact_id()::text::bigint & 4294967295")) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    @Test
    void committedIsVisibleOpenAndFutureAreNot() throws Exception {
        try (Connection checker = schema.connect(); Connection writer = schema.connect()) {
            long open = xidOfOpenTransaction(writer);
            assertThat(invisible(checker, open)).as("open transaction").isEqualTo(1);
            assertThat(invisible(checker, open + 1000)).as("an xid no transaction has yet").isEqualTo(1);
            writer.commit();
            assertThat(invisible(checker, open)).as("committed").isZero();
            assertThat(invisible(checker, open, open + 1000, open - 1)).isEqualTo(1);
        }
    }

    @Test
    void awaitVisibleReturnsForCommittedTransactions() throws Exception {
        long xid;
        try (Connection writer = schema.connect()) {
            xid = xidOfOpenTransaction(writer);
            writer.commit();
        }
        try (CommitVisibility visibility = new CommitVisibility(schema.connect())) {
            long start = System.nanoTime();
            visibility.awaitVisible(new long[] {xid}, java.time.Duration.ofSeconds(5));
            assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
        }
    }
}
