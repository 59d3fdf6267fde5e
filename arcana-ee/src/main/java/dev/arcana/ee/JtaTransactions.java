package dev.arcana.ee;

import dev.arcana.engine.mutation.MutationTransactions;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import java.sql.Connection;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * A mutation's transaction as a JTA transaction of the container: begun here, the engine's
 * DataSource connection enlisted in it (and with it every resource the application's own
 * {@code @Transactional} beans use on the same thread), committed after the work, rolled back when
 * the work throws (the exception is rethrown as it is).
 *
 * <p>The DataSource must be a transactional one (the default on Open Liberty, Payara and WildFly):
 * a non-transactional DataSource hands out connections that are not enlisted, whose statements
 * commit one by one. (Their auto-commit flag does not tell: Liberty reports it on for an enlisted
 * handle until its first statement.)
 *
 * <p>The {@link UserTransaction} is the one the container binds at {@value #USER_TRANSACTION}
 * (Jakarta EE platform, section EE.5.10: every web component may look it up), the same name on
 * Open Liberty, Payara and WildFly. It is looked up once, at start, on a thread of the application.
 */
public final class JtaTransactions implements MutationTransactions {
    static final String USER_TRANSACTION = "java:comp/UserTransaction";

    private final UserTransaction transaction;
    private final DataSource dataSource;

    public JtaTransactions(UserTransaction transaction, DataSource dataSource) {
        this.transaction = Objects.requireNonNull(transaction, "transaction");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The container's UserTransaction, when it offers JTA to this application; empty otherwise. */
    public static Optional<UserTransaction> lookup() {
        try {
            Object found = InitialContext.doLookup(USER_TRANSACTION);
            return found instanceof UserTransaction userTransaction ? Optional.of(userTransaction) : Optional.empty();
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public <T> T inTransaction(Work<T> work) throws Exception {
        if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
            throw new IllegalStateException("a JTA transaction is already active on this thread (status "
                    + transaction.getStatus() + "): a mutation runs in a transaction of its own; call "
                    + "Arcana.mutate outside of transactional methods");
        }
        transaction.begin();
        T result;
        try {
            try (Connection connection = dataSource.getConnection()) {
                result = work.run(connection);
            }
        } catch (Exception | Error e) {
            rollback(e);
            throw e;
        }
        transaction.commit();
        return result;
    }

    private void rollback(Throwable cause) {
        try {
            if (transaction.getStatus() != Status.STATUS_NO_TRANSACTION) {
                transaction.rollback();
            }
        } catch (SystemException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}
