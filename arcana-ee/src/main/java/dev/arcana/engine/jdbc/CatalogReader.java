package dev.arcana.engine.jdbc;

import dev.arcana.api.SchemaDescription;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Reads the PostgreSQL type and nullability of the columns graphs declare, from {@code pg_catalog}
 * in one round trip.
 *
 * <p>Table names are resolved as the graphs declare them: schema-qualified ({@code app.users}) or
 * through the connection's {@code search_path} ({@code to_regclass} semantics, so unquoted names
 * fold to lower case). Column names match {@code pg_attribute.attname} exactly.
 *
 * <p>Type names are {@code pg_type.typname} (short names suitable for code generation: {@code uuid},
 * {@code text}, {@code int4}, {@code int8}, {@code bool}, {@code timestamptz}, {@code numeric},
 * {@code jsonb}, {@code varchar}, ...) without type modifiers. Domains are reported as their base
 * type (a domain's {@code NOT NULL} makes the column non-nullable); arrays as their element type
 * followed by {@code []} ({@code text[]}). A column that does not exist, or belongs to a table that
 * does not exist, is reported as {@value #UNKNOWN} and nullable.
 */
public final class CatalogReader {

    /** The type reported for a column or table that the catalog does not know. */
    public static final String UNKNOWN = "unknown";

    /** The column reported for a column or table that the catalog does not know. */
    public static final SchemaDescription.Column UNKNOWN_COLUMN = new SchemaDescription.Column(UNKNOWN, true);

    /*
     * wanted: one row per (declared table, declared column), numbered.
     * cols:   the attribute, when both table and column exist.
     * chain:  walks from the column's type through domains (to their base type) and, once, from an
     *         array type to its element type; the deepest step is the reported type.
     */
    private static final String SQL = """
            with recursive wanted as (
                select d.ord, pg_catalog.to_regclass(d.tbl) as rel, d.col
                from rows from (pg_catalog.unnest(?::text[]), pg_catalog.unnest(?::text[])) with ordinality as d(tbl, col, ord)
            ), cols as (
                select w.ord, w.rel, a.attnotnull, a.atttypid
                from wanted w
                left join pg_catalog.pg_attribute a
                  on a.attrelid = w.rel and a.attname = w.col and a.attnum > 0 and not a.attisdropped
            ), chain(ord, typid, not_null, arr, depth) as (
                select c.ord, c.atttypid, c.attnotnull, false, 0
                from cols c
                where c.atttypid is not null
              union all
                select ch.ord,
                       case when t.typtype = 'd' then t.typbasetype else t.typelem end,
                       ch.not_null or (t.typtype = 'd' and t.typnotnull and not ch.arr),
                       ch.arr or t.typtype <> 'd',
                       ch.depth + 1
                from chain ch
                join pg_catalog.pg_type t on t.oid = ch.typid
                where ch.depth < 32
                  and (t.typtype = 'd' or (not ch.arr and t.typcategory = 'A' and t.typelem <> 0))
            )
            select c.ord, f.not_null, f.arr, t.typname
            from cols c
            left join lateral (
                select ch.typid, ch.not_null, ch.arr from chain ch where ch.ord = c.ord order by ch.depth desc limit 1
            ) f on true
            left join pg_catalog.pg_type t on t.oid = f.typid
            order by c.ord
            """;

    private CatalogReader() {
    }

    /**
     * @param columnsByTable declared table name → declared column names
     * @return for every declared table (same keys, same iteration order), every declared column
     *         (same iteration order) with its type and nullability; unmodifiable
     */
    public static Map<String, Map<String, SchemaDescription.Column>> read(
            DataSource ds, Map<String, Set<String>> columnsByTable) throws SQLException {
        Objects.requireNonNull(ds, "ds");
        Objects.requireNonNull(columnsByTable, "columnsByTable");

        Map<String, Map<String, SchemaDescription.Column>> result = new LinkedHashMap<>();
        List<String> tables = new ArrayList<>();
        List<String> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Map<String, SchemaDescription.Column>> targets = new ArrayList<>();
        columnsByTable.forEach((table, declared) -> {
            Map<String, SchemaDescription.Column> described = new LinkedHashMap<>();
            if (declared != null) {
                String lookup = relationNameOrNull(table);
                for (String column : declared) {
                    described.put(column, UNKNOWN_COLUMN);
                    tables.add(lookup);
                    columns.add(column == null || column.indexOf('\0') >= 0 ? null : column);
                    names.add(column);
                    targets.add(described);
                }
            }
            result.put(table, described);
        });

        if (!tables.isEmpty()) {
            try (Connection connection = ds.getConnection()) {
                Array tableArray = connection.createArrayOf("text", tables.toArray());
                Array columnArray = connection.createArrayOf("text", columns.toArray());
                try (PreparedStatement statement = connection.prepareStatement(SQL)) {
                    statement.setArray(1, tableArray);
                    statement.setArray(2, columnArray);
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            int index = (int) rows.getLong(1) - 1;
                            String typeName = rows.getString(4);
                            if (typeName == null || index < 0 || index >= targets.size()) {
                                continue; // table or column not found: stays unknown
                            }
                            boolean notNull = rows.getBoolean(2);
                            boolean array = rows.getBoolean(3);
                            targets.get(index).put(names.get(index),
                                    new SchemaDescription.Column(array ? typeName + "[]" : typeName, !notNull));
                        }
                    }
                } finally {
                    free(tableArray);
                    free(columnArray);
                }
            }
        }

        Map<String, Map<String, SchemaDescription.Column>> frozen = new LinkedHashMap<>();
        result.forEach((table, described) -> frozen.put(table, Collections.unmodifiableMap(described)));
        return Collections.unmodifiableMap(frozen);
    }

    /**
     * The name as {@code to_regclass} should see it, or null when {@code to_regclass} would raise an
     * error instead of answering NULL (PostgreSQL before 16 raises on invalid name syntax, on more
     * than three dotted names and on a database-qualified name of another database): a faithful
     * subset of PostgreSQL's {@code SplitIdentifierString} accepting one or two dotted names.
     */
    static String relationNameOrNull(String name) {
        if (name == null || name.indexOf('\0') >= 0) {
            return null;
        }
        int parts = 0;
        int i = skipSpace(name, 0);
        int n = name.length();
        while (true) {
            if (i < n && name.charAt(i) == '"') {
                int end = i + 1;
                while (true) {
                    end = name.indexOf('"', end);
                    if (end < 0) {
                        return null; // unterminated quote
                    }
                    if (end + 1 < n && name.charAt(end + 1) == '"') {
                        end += 2; // doubled quote: a literal quote
                        continue;
                    }
                    break;
                }
                if (end == i + 1) {
                    return null; // empty quoted name: PostgreSQL does not raise, but it names nothing
                }
                i = end + 1;
            } else {
                int start = i;
                while (i < n && name.charAt(i) != '.' && !isSpace(name.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return null; // empty name
                }
            }
            parts++;
            i = skipSpace(name, i);
            if (i == n) {
                break;
            }
            if (name.charAt(i) != '.') {
                return null; // junk after a name
            }
            i = skipSpace(name, i + 1);
        }
        return parts <= 2 ? name : null;
    }

    private static int skipSpace(String name, int i) {
        while (i < name.length() && isSpace(name.charAt(i))) {
            i++;
        }
        return i;
    }

    /** PostgreSQL's {@code scanner_isspace}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }

    private static void free(Array array) {
        try {
            array.free();
        } catch (SQLException | RuntimeException ignored) {
            // nothing held server-side
        }
    }
}
