package dev.arcana.ee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class JtaTransactionsTest {
    private final List<String> events = new ArrayList<>();
    private final FakeUserTransaction transaction = new FakeUserTransaction(events);
    private final FakeDataSource dataSource = new FakeDataSource(events);
    private final JtaTransactions transactions = new JtaTransactions(transaction, dataSource);

    @Test
    void theWorkRunsOnAnEnlistedConnectionClosedBeforeTheCommit() throws Exception {
        String result = transactions.inTransaction(connection -> {
            events.add("work");
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(events).containsExactly("begin", "getConnection", "work", "close", "commit");
    }

    @Test
    void aFailingWorkIsRolledBackAndItsExceptionRethrownAsItIs() {
        SQLException failure = new SQLException("duplicate key", "23505");

        assertThatThrownBy(() -> transactions.inTransaction(connection -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(events).containsExactly("begin", "getConnection", "close", "rollback");
    }

    @Test
    void aFailingRollbackIsKeptAsSuppressed() {
        transaction.failRollback = true;
        IllegalStateException failure = new IllegalStateException("handler bug");

        assertThatThrownBy(() -> transactions.inTransaction(connection -> {
            throw failure;
        })).isSameAs(failure);
        assertThat(failure.getSuppressed()).singleElement().isInstanceOf(SystemException.class);
    }

    @Test
    void aTransactionAlreadyActiveOnTheThreadIsRefusedWithoutTouchingIt() {
        transaction.status = Status.STATUS_ACTIVE;

        assertThatThrownBy(() -> transactions.inTransaction(connection -> "never"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a JTA transaction is already active on this thread (status 0)");
        assertThat(events).isEmpty();
    }

    @Test
    void aFailedCommitIsThrown() {
        transaction.failCommit = true;

        assertThatThrownBy(() -> transactions.inTransaction(connection -> "x"))
                .isInstanceOf(jakarta.transaction.RollbackException.class);
    }

    /** Records calls; status follows begin/commit/rollback like a real one. */
    static final class FakeUserTransaction implements UserTransaction {
        private final List<String> events;
        int status = Status.STATUS_NO_TRANSACTION;
        boolean failRollback;
        boolean failCommit;

        FakeUserTransaction(List<String> events) {
            this.events = events;
        }

        @Override
        public void begin() {
            events.add("begin");
            status = Status.STATUS_ACTIVE;
        }

        @Override
        public void commit() throws jakarta.transaction.RollbackException {
            status = Status.STATUS_NO_TRANSACTION;
            if (failCommit) {
                throw new jakarta.transaction.RollbackException("marked rollback-only");
            }
            events.add("commit");
        }

        @Override
        public void rollback() throws SystemException {
            status = Status.STATUS_NO_TRANSACTION;
            if (failRollback) {
                throw new SystemException("resource manager gone");
            }
            events.add("rollback");
        }

        @Override
        public void setRollbackOnly() {
            status = Status.STATUS_MARKED_ROLLBACK;
        }

        @Override
        public int getStatus() {
            return status;
        }

        @Override
        public void setTransactionTimeout(int seconds) {
        }
    }

    /** Hands out connections that record their close. */
    static final class FakeDataSource implements DataSource {
        private final List<String> events;

        FakeDataSource(List<String> events) {
            this.events = events;
        }

        @Override
        public Connection getConnection() {
            events.add("getConnection");
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "close" -> {
                            events.add("close");
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        @Override
        public Connection getConnection(String user, String password) {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() {
            return Logger.getGlobal();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
