package dev.arcana.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Runs SQL on the application's database during one factory run (one connection for the whole
 * run). Arguments bind positionally to {@code ?} placeholders; UUIDs, numbers, strings, booleans
 * and {@code java.time} values bind natively.
 */
public interface Querier {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    /** Consumes the current row of a result set. */
    @FunctionalInterface
    interface RowHandler {
        void handle(ResultSet row) throws SQLException;
    }

    <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) throws SQLException;

    void forEachRow(String sql, RowHandler handler, Object... args) throws SQLException;

    default <T> Optional<T> queryOne(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
        List<T> rows = query(sql, mapper, args);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The first column of the first row as a long (e.g. a {@code count(*)}); 0 when no row. */
    default long queryLong(String sql, Object... args) throws SQLException {
        return queryOne(sql, row -> row.getLong(1), args).orElse(0L);
    }
}
