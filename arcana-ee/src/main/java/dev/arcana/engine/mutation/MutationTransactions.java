package dev.arcana.engine.mutation;

import java.sql.Connection;

/**
 * Runs a mutation's work in one transaction: {@link JdbcTransactions} on one connection of the
 * engine's DataSource, or (in a Jakarta EE container) a JTA transaction that the application's own
 * transactional beans and enlisted resources join.
 */
public interface MutationTransactions {

    /** The mutation's work on the transaction's connection; it must not commit, roll back or close it. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    /**
     * Begins a transaction, runs {@code work} and commits. When {@code work} throws, the transaction
     * is rolled back and the exception rethrown as it is; when the commit fails, its exception is
     * thrown (the transaction may then be committed or not: the change detector reports it if it was).
     */
    <T> T inTransaction(Work<T> work) throws Exception;
}
