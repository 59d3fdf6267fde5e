package dev.arcana.api;

import java.sql.SQLException;

/**
 * The {@link Querier} of a mutation: reads and writes on the mutation's transaction, so they commit
 * or roll back with it. The handler must not commit, roll back or close anything itself.
 */
public interface MutationQuerier extends Querier {

    /** Runs an INSERT, UPDATE, DELETE (or any statement without a result set); returns the rows affected. */
    int update(String sql, Object... args) throws SQLException;
}
