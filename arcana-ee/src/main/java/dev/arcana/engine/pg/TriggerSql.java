package dev.arcana.engine.pg;

import dev.arcana.api.TableDependency;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The SQL of trigger mode: for every table a PL/pgSQL function and two triggers (row level for
 * INSERT/UPDATE/DELETE, statement level for TRUNCATE) that {@code pg_notify} a JSON payload on one
 * channel (see {@code PROTOCOL.md}, "Change notifications (trigger mode)").
 *
 * <p>Payload, built with {@code json_build_object} so that ids and values are JSON-escaped:
 * {@code {"table","id","op","tx","columns"?,"ws"?}}.
 * <ul>
 * <li>{@code table}: the table as the graphs declare it (the map key);</li>
 * <li>{@code id}: the key column as text (NEW for INSERT/UPDATE, OLD for DELETE); an explicit
 * {@code null} means "any row" (table-wide, see the size limit below);</li>
 * <li>{@code op}: INSERT, UPDATE, DELETE or TRUNCATE (TRUNCATE carries no id);</li>
 * <li>{@code columns}: UPDATE only, the tracked columns whose value changed (compared as text with
 * {@code IS DISTINCT FROM}, so that types without an equality operator such as {@code json} never
 * make a write fail); an UPDATE changing no tracked column notifies nothing;</li>
 * <li>{@code ws}: the tenant column as text, when the dependency declares one and it is not null;</li>
 * <li>{@code tx}: the writing transaction's xid (32 bits) as 10 decimal digits — a fixed width, so
 * that the payload's size does not depend on it — so that the engine recognises the transactions of
 * its own mutations (whose changes it applied at commit).</li>
 * </ul>
 * An UPDATE that changes the key or the tenant value moves the row: it is reported as a DELETE of
 * the old key/tenant followed by an INSERT of the new ones, so that neither workspace misses it.
 *
 * <p>Size limit: a payload over {@value #MAX_PAYLOAD_BYTES} bytes drops {@code columns} (meaning:
 * all columns); if it is still too large (a huge key), it becomes the table-wide
 * {@code {"table","id":null,"op":"UPDATE","ws"?}} instead of failing the writer's transaction.
 *
 * <p>The statements of {@link #createSql()} are idempotent; run them in <em>one</em> transaction so
 * that re-applying them never leaves a window without trigger (DROP TRIGGER locks the table until
 * commit). The first statement per table is a {@code SELECT … WHERE false} of every referenced
 * column, so a misspelt column fails the installation instead of every later write.
 *
 * <p>Identifiers (each part of a schema-qualified table, columns, channel) must match
 * {@value #IDENTIFIER} and are double-quoted, hence case-sensitive. Functions are named
 * {@code arcana_notify_<table, '.' replaced by "__">} (created in the table's schema when the table
 * is qualified, otherwise in the first schema of the search path), shortened with a hash to 63
 * bytes; the triggers are {@value #ROW_TRIGGER} and {@value #TRUNCATE_TRIGGER} on each table.
 */
public final class TriggerSql {
    /** The {@code tx} field's value: the transaction's 32-bit xid, zero-padded to 10 digits. */
    static final String TX = "lpad((txid_current() % 4294967296)::text, 10, '0')";


    public static final String DEFAULT_CHANNEL = "arcana_changes";
    /** NOTIFY payloads must stay under 8000 bytes; a margin is kept. */
    public static final int MAX_PAYLOAD_BYTES = 7900;
    public static final String IDENTIFIER = "[A-Za-z_][A-Za-z0-9_$]*";
    public static final String FUNCTION_PREFIX = "arcana_notify_";
    public static final String ROW_TRIGGER = "arcana_notify_row";
    public static final String TRUNCATE_TRIGGER = "arcana_notify_truncate";
    /** PostgreSQL's NAMEDATALEN - 1. */
    public static final int MAX_IDENTIFIER_BYTES = 63;

    private static final Pattern IDENTIFIER_PATTERN = Pattern.compile(IDENTIFIER);

    private final String channel;
    private final Map<String, TableDependency> tables;

    /**
     * @param channel the NOTIFY channel (an identifier; LISTEN on it double-quoted)
     * @param tables  table as the graphs declare it → its dependency (e.g. {@code Registry.tableDependencies()})
     * @throws IllegalArgumentException on an invalid identifier or two tables mapping to one function name
     */
    public TriggerSql(String channel, Map<String, TableDependency> tables) {
        this.channel = validateIdentifier(Objects.requireNonNull(channel, "channel"), "channel");
        Objects.requireNonNull(tables, "tables");
        Map<String, TableDependency> copy = new LinkedHashMap<>();
        Map<String, String> functionOwners = new HashMap<>();
        tables.forEach((name, dependency) -> {
            Objects.requireNonNull(name, "table name");
            Objects.requireNonNull(dependency, "dependency of " + name);
            validateTable(name);
            validateTable(dependency.table());
            dependency.columns().forEach(c -> validateIdentifier(c, "column of " + name));
            validateIdentifier(dependency.keyColumn(), "key column of " + name);
            if (dependency.tenantColumn() != null) {
                validateIdentifier(dependency.tenantColumn(), "tenant column of " + name);
            }
            String function = functionName(dependency.table());
            String other = functionOwners.putIfAbsent(function, dependency.table());
            if (other != null && !other.equals(dependency.table())) {
                throw new IllegalArgumentException("tables '" + other + "' and '" + dependency.table()
                        + "' would share the trigger function " + function);
            }
            copy.put(name, dependency);
        });
        this.tables = java.util.Collections.unmodifiableMap(copy);
    }

    public String channel() {
        return channel;
    }

    public Map<String, TableDependency> tables() {
        return tables;
    }

    /** Idempotent statements creating (or replacing) every function and trigger; run them in one transaction. */
    public List<String> createSql() {
        List<String> sql = new ArrayList<>();
        tables.forEach((name, dependency) -> {
            String table = quoteQualified(dependency.table());
            String function = qualifiedFunction(dependency.table());
            sql.add(probe(dependency));
            sql.add(function(name, dependency));
            sql.add("DROP TRIGGER IF EXISTS " + quote(ROW_TRIGGER) + " ON " + table);
            sql.add("CREATE TRIGGER " + quote(ROW_TRIGGER) + " AFTER INSERT OR UPDATE OR DELETE ON " + table
                    + " FOR EACH ROW EXECUTE FUNCTION " + function + "()");
            sql.add("DROP TRIGGER IF EXISTS " + quote(TRUNCATE_TRIGGER) + " ON " + table);
            sql.add("CREATE TRIGGER " + quote(TRUNCATE_TRIGGER) + " AFTER TRUNCATE ON " + table
                    + " FOR EACH STATEMENT EXECUTE FUNCTION " + function + "()");
        });
        return List.copyOf(sql);
    }

    /** Statements removing every trigger and function {@link #createSql()} creates (idempotent). */
    public List<String> dropSql() {
        List<String> sql = new ArrayList<>();
        tables.forEach((name, dependency) -> {
            String table = quoteQualified(dependency.table());
            sql.add("DROP TRIGGER IF EXISTS " + quote(ROW_TRIGGER) + " ON " + table);
            sql.add("DROP TRIGGER IF EXISTS " + quote(TRUNCATE_TRIGGER) + " ON " + table);
            sql.add("DROP FUNCTION IF EXISTS " + qualifiedFunction(dependency.table()) + "()");
        });
        return List.copyOf(sql);
    }

    /**
     * The (unquoted, unqualified) trigger function name of a table: {@code arcana_notify_} plus the
     * table with {@code .} replaced by {@code __}; names over 63 bytes keep a prefix and get an
     * 8-hex-digit hash of the full name.
     */
    public static String functionName(String table) {
        validateTable(table);
        String name = FUNCTION_PREFIX + table.replace(".", "__");
        if (name.length() <= MAX_IDENTIFIER_BYTES) { // identifiers are ASCII: chars == bytes
            return name;
        }
        String hash = sha256Hex(name).substring(0, 8);
        return name.substring(0, MAX_IDENTIFIER_BYTES - hash.length() - 1) + "_" + hash;
    }

    /** {@code "schema"."arcana_notify_…"} or {@code "arcana_notify_…"}. */
    static String qualifiedFunction(String table) {
        int dot = table.indexOf('.');
        String function = quote(functionName(table));
        return dot < 0 ? function : quote(table.substring(0, dot)) + "." + function;
    }

    /** Validates {@code table} or {@code schema.table}. */
    public static String validateTable(String table) {
        if (table == null) {
            throw new IllegalArgumentException("table name is null");
        }
        String[] parts = table.split("\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("invalid table name '" + table + "': at most schema.table");
        }
        for (String part : parts) {
            validateIdentifier(part, "table name '" + table + "'");
        }
        return table;
    }

    /** @throws IllegalArgumentException unless {@code identifier} matches {@value #IDENTIFIER} and fits 63 bytes */
    public static String validateIdentifier(String identifier, String what) {
        if (identifier == null || !IDENTIFIER_PATTERN.matcher(identifier).matches()) {
            throw new IllegalArgumentException("invalid identifier for " + what + ": '" + identifier
                    + "' (expected " + IDENTIFIER + ")");
        }
        if (identifier.length() > MAX_IDENTIFIER_BYTES) {
            throw new IllegalArgumentException("identifier for " + what + " longer than " + MAX_IDENTIFIER_BYTES
                    + " bytes: '" + identifier + "'");
        }
        return identifier;
    }

    /** Double-quotes each part of a (validated) possibly schema-qualified name. */
    static String quoteQualified(String table) {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String probe(TableDependency dependency) {
        List<String> columns = new ArrayList<>();
        columns.add(quote(dependency.keyColumn()));
        if (dependency.tenantColumn() != null) {
            columns.add(quote(dependency.tenantColumn()));
        }
        dependency.columns().forEach(c -> columns.add(quote(c)));
        return "SELECT " + String.join(", ", columns) + " FROM " + quoteQualified(dependency.table()) + " WHERE false";
    }

    private String function(String name, TableDependency dependency) {
        String key = quote(dependency.keyColumn());
        String tenant = dependency.tenantColumn() == null ? null : quote(dependency.tenantColumn());
        String tableLiteral = literal(name);
        String channelLiteral = literal(channel);
        StringBuilder b = new StringBuilder();
        b.append("DECLARE\n")
                .append("  o text := TG_OP;\n")
                .append("  k text;\n  w text;\n  ok text;\n  ow text;\n")
                .append("  cols text[];\n  p text;\n  v json;\n")
                .append("BEGIN\n")
                .append("  IF TG_OP = 'TRUNCATE' THEN\n")
                .append("    PERFORM pg_notify(").append(channelLiteral).append(", json_build_object('table', ")
                .append(tableLiteral).append(", 'op', 'TRUNCATE', 'tx', " + TX + ")::text);\n")
                .append("    RETURN NULL;\n")
                .append("  END IF;\n")
                .append("  IF TG_OP = 'DELETE' THEN\n")
                .append("    k := OLD.").append(key).append("::text;\n")
                .append("    w := ").append(tenant == null ? "NULL" : "OLD." + tenant + "::text").append(";\n")
                .append("  ELSE\n")
                .append("    k := NEW.").append(key).append("::text;\n")
                .append("    w := ").append(tenant == null ? "NULL" : "NEW." + tenant + "::text").append(";\n")
                .append(values(dependency))
                .append("  END IF;\n")
                .append("  IF TG_OP = 'UPDATE' THEN\n")
                .append("    ok := OLD.").append(key).append("::text;\n")
                .append("    ow := ").append(tenant == null ? "NULL" : "OLD." + tenant + "::text").append(";\n")
                .append("    IF ok IS DISTINCT FROM k OR ow IS DISTINCT FROM w THEN\n")
                .append("      -- the row moved to another key or workspace: gone there, new here\n");
        appendNotify(b, "      ", channelLiteral, tableLiteral, "'DELETE'", "ok", "ow", false, false);
        b.append("      o := 'INSERT';\n")
                .append("    ELSE\n")
                .append("      cols := ARRAY[]::text[];\n");
        for (String column : dependency.columns()) {
            String c = quote(column);
            b.append("      IF (OLD.").append(c).append("::text COLLATE \"C\") IS DISTINCT FROM (NEW.").append(c)
                    .append("::text COLLATE \"C\") THEN cols := cols || ").append(literal(column))
                    .append("::text; END IF;\n");
        }
        b.append("      IF cardinality(cols) = 0 THEN\n")
                .append("        RETURN NULL; -- no tracked column changed\n")
                .append("      END IF;\n")
                .append("    END IF;\n")
                .append("  END IF;\n");
        appendNotify(b, "  ", channelLiteral, tableLiteral, "o", "k", "w", true, !dependency.matches().isEmpty());
        b.append("  RETURN NULL;\n")
                .append("END;\n");
        String body = b.toString();
        String tag = "$arcana$";
        for (int i = 0; body.contains(tag); i++) {
            tag = "$arcana" + i + "$";
        }
        return "CREATE OR REPLACE FUNCTION " + qualifiedFunction(dependency.table()) + "() RETURNS trigger"
                + " LANGUAGE plpgsql AS " + tag + "\n" + body + tag;
    }

    /**
     * {@code v := json_strip_nulls(json_build_object('col', NEW."col"::text, ...))} for the columns graphs match
     * on ({@code ColumnMatch}); nothing when none do. Null values are left out (unknown to the engine).
     */
    private static String values(TableDependency dependency) {
        if (dependency.matches().isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        dependency.matches().forEach(match -> pairs.add(literal(match.column()) + ", NEW." + quote(match.column())
                + "::text"));
        return "    v := json_strip_nulls(json_build_object(" + String.join(", ", pairs) + "));\n";
    }

    /** Appends the PL/pgSQL that builds the payload (with the size fallbacks) and notifies it. */
    private static void appendNotify(StringBuilder b, String indent, String channel, String table, String op,
            String id, String ws, boolean withColumns, boolean withValues) {
        String base = "'table', " + table + ", 'id', " + id + ", 'op', " + op + ", 'tx', " + TX;
        if (withColumns) {
            // the new row's matched values travel with the INSERT or UPDATE; over the size limit they go with columns
            String full = withValues ? base + ", 'v', v" : base;
            b.append(indent).append("p := NULL;\n")
                    .append(indent).append("IF cols IS NOT NULL THEN\n")
                    .append(indent).append("  p := ").append(object(full + ", 'columns', to_json(cols)", ws)).append(";\n");
            if (withValues) {
                b.append(indent).append("ELSIF v IS NOT NULL THEN\n")
                        .append(indent).append("  p := ").append(object(full, ws)).append(";\n");
            }
            b.append(indent).append("END IF;\n")
                    .append(indent).append("IF p IS NULL OR octet_length(p) > ").append(MAX_PAYLOAD_BYTES)
                    .append(" THEN\n");
        } else {
            b.append(indent).append("BEGIN\n");
        }
        b.append(indent).append("  p := ").append(object(base, ws)).append(";\n");
        b.append(indent).append(withColumns ? "END IF;\n" : "END;\n");
        String tableWide = "'table', " + table + ", 'id', NULL, 'op', 'UPDATE', 'tx', " + TX;
        b.append(indent).append("IF octet_length(p) > ").append(MAX_PAYLOAD_BYTES).append(" THEN\n")
                .append(indent).append("  p := ").append(object(tableWide, ws)).append(";\n")
                .append(indent).append("END IF;\n")
                .append(indent).append("IF octet_length(p) > ").append(MAX_PAYLOAD_BYTES).append(" THEN\n")
                .append(indent).append("  p := json_build_object(").append(tableWide).append(")::text;\n")
                .append(indent).append("END IF;\n")
                .append(indent).append("PERFORM pg_notify(").append(channel).append(", p);\n");
    }

    private static String object(String fields, String ws) {
        return "CASE WHEN " + ws + " IS NULL THEN json_build_object(" + fields + ")::text ELSE json_build_object("
                + fields + ", 'ws', " + ws + ")::text END";
    }

    private static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
