package dev.arcana.engine.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.arcana.api.SchemaDescription.Column;
import dev.arcana.engine.testing.TestDatabase;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CatalogReaderTest {

    private static final Column UNKNOWN = new Column("unknown", true);

    private static TestDatabase.IsolatedSchema schema;
    private static TestDatabase.IsolatedSchema other;

    @BeforeAll
    static void createTables() {
        schema = TestDatabase.get().isolatedSchema("catalog");
        other = TestDatabase.get().isolatedSchema("catalog_other");
        schema.execute(
                "create domain email as text not null",
                "create domain tag as varchar(30)",
                "create table things ("
                        + " id uuid primary key,"
                        + " title text not null,"
                        + " amount int,"
                        + " big int8 not null,"
                        + " ok bool not null,"
                        + " at timestamptz,"
                        + " doc jsonb,"
                        + " tags text[] not null,"
                        + " price numeric(10,2),"
                        + " code varchar(20),"
                        + " letter char(1),"
                        + " small int2,"
                        + " ratio float8,"
                        + " born date,"
                        + " raw bytea,"
                        + " owner_email email,"
                        + " labels tag[],"
                        + " grid int4[][],"
                        + " dropped_later text)",
                "alter table things drop column dropped_later",
                "create view active_things as select id, title from things where ok");
        other.execute("create table things (id int8 primary key, title varchar(10))");
    }

    private static Map<String, Set<String>> declare(Object... tableThenColumns) {
        Map<String, Set<String>> declared = new LinkedHashMap<>();
        for (int i = 0; i < tableThenColumns.length; i += 2) {
            declared.put((String) tableThenColumns[i], new LinkedHashSet<>((List<?>) tableThenColumns[i + 1]).stream()
                    .map(String.class::cast).collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new)));
        }
        return declared;
    }

    @Test
    void reportsTypeNamesAndNullability() throws SQLException {
        Map<String, Map<String, Column>> tables = CatalogReader.read(schema.dataSource(), declare("things", List.of(
                "id", "title", "amount", "big", "ok", "at", "doc", "tags", "price", "code", "letter", "small", "ratio",
                "born", "raw")));

        assertThat(tables).containsOnlyKeys("things");
        assertThat(tables.get("things")).containsExactly(
                entry("id", new Column("uuid", false)),
                entry("title", new Column("text", false)),
                entry("amount", new Column("int4", true)),
                entry("big", new Column("int8", false)),
                entry("ok", new Column("bool", false)),
                entry("at", new Column("timestamptz", true)),
                entry("doc", new Column("jsonb", true)),
                entry("tags", new Column("text[]", false)),
                entry("price", new Column("numeric", true)),
                entry("code", new Column("varchar", true)),
                entry("letter", new Column("bpchar", true)),
                entry("small", new Column("int2", true)),
                entry("ratio", new Column("float8", true)),
                entry("born", new Column("date", true)),
                entry("raw", new Column("bytea", true)));
    }

    @Test
    void domainsReportTheirBaseTypeAndArraysTheirElementType() throws SQLException {
        Map<String, Column> things = CatalogReader.read(schema.dataSource(),
                declare("things", List.of("owner_email", "labels", "grid"))).get("things");

        assertThat(things).containsExactly(
                entry("owner_email", new Column("text", false)), // the domain's NOT NULL counts
                entry("labels", new Column("varchar[]", true)),
                entry("grid", new Column("int4[]", true)));
    }

    @Test
    void unknownColumnsAndTablesAreUnknownAndNullable() throws SQLException {
        Map<String, Map<String, Column>> tables = CatalogReader.read(schema.dataSource(), declare(
                "things", List.of("id", "no_such_column", "dropped_later", "Title"),
                "no_such_table", List.of("id", "name"),
                "no_such_schema.things", List.of("id")));

        assertThat(tables.get("things")).containsExactly(
                entry("id", new Column("uuid", false)),
                entry("no_such_column", UNKNOWN),
                entry("dropped_later", UNKNOWN),
                entry("Title", UNKNOWN)); // column names match exactly
        assertThat(tables.get("no_such_table")).containsExactly(entry("id", UNKNOWN), entry("name", UNKNOWN));
        assertThat(tables.get("no_such_schema.things")).containsExactly(entry("id", UNKNOWN));
    }

    @Test
    void schemaQualifiedNamesResolveRegardlessOfSearchPath() throws SQLException {
        String mine = schema.name() + ".things";
        String theirs = other.name() + ".things";
        // the server's default data source has neither schema on its search_path
        Map<String, Map<String, Column>> tables = CatalogReader.read(TestDatabase.get().dataSource(), declare(
                mine, List.of("id", "title"),
                theirs, List.of("id", "title"),
                "things", List.of("id")));

        assertThat(tables.get(mine)).containsExactly(entry("id", new Column("uuid", false)), entry("title", new Column("text", false)));
        assertThat(tables.get(theirs)).containsExactly(entry("id", new Column("int8", false)), entry("title", new Column("varchar", true)));
        assertThat(tables.get("things")).containsExactly(entry("id", UNKNOWN));
    }

    @Test
    void unqualifiedNamesResolveThroughTheSearchPath() throws SQLException {
        assertThat(CatalogReader.read(other.dataSource(), declare("things", List.of("id"))).get("things"))
                .containsExactly(entry("id", new Column("int8", false)));
        assertThat(CatalogReader.read(schema.dataSource(), declare("things", List.of("id"), "THINGS", List.of("id"))))
                .containsExactly(
                        entry("things", Map.of("id", new Column("uuid", false))),
                        entry("THINGS", Map.of("id", new Column("uuid", false)))); // unquoted names fold to lower case
    }

    @Test
    void viewsAreTablesToo() throws SQLException {
        assertThat(CatalogReader.read(schema.dataSource(), declare("active_things", List.of("id", "title", "ok")))
                .get("active_things"))
                .containsExactly(
                        entry("id", new Column("uuid", true)), // views carry no NOT NULL
                        entry("title", new Column("text", true)),
                        entry("ok", UNKNOWN));
    }

    @Test
    void keepsTheDeclaredOrderAndTablesWithoutColumns() throws SQLException {
        Map<String, Set<String>> declared = new TreeMap<>(declare(
                "things", List.of("ok", "id", "amount"),
                "no_columns", List.of(),
                other.name() + ".things", List.of("title", "id")));

        Map<String, Map<String, Column>> tables = CatalogReader.read(schema.dataSource(), declared);

        assertThat(tables.keySet()).containsExactlyElementsOf(declared.keySet());
        assertThat(tables.get("things").keySet()).containsExactly("ok", "id", "amount");
        assertThat(tables.get(other.name() + ".things").keySet()).containsExactly("title", "id");
        assertThat(tables.get("no_columns")).isEmpty();
    }

    @Test
    void hostileAndMalformedNamesAreDataNotSqlAndNeverFailTheRead() throws SQLException {
        String hostile = "things; drop table things; --";
        Map<String, Map<String, Column>> tables = CatalogReader.read(schema.dataSource(), declare(
                hostile, List.of("id"),
                "things", List.of("id'); drop table things; --", "id"),
                "a.b.c.d", List.of("id"),
                "otherdb.public.things", List.of("id"),
                "\"unterminated", List.of("id"),
                "\"\"", List.of("id"),
                "", List.of("id"),
                "x\0y", List.of("id"),
                "  " + schema.name() + " . \"things\"  ", List.of("id")));

        assertThat(tables.get(hostile)).containsExactly(entry("id", UNKNOWN));
        assertThat(tables.get("things")).containsExactly(
                entry("id'); drop table things; --", UNKNOWN),
                entry("id", new Column("uuid", false)));
        for (String malformed : List.of("a.b.c.d", "otherdb.public.things", "\"unterminated", "\"\"", "", "x\0y")) {
            assertThat(tables.get(malformed)).as(malformed).containsExactly(entry("id", UNKNOWN));
        }
        assertThat(tables.get("  " + schema.name() + " . \"things\"  ")).containsExactly(entry("id", new Column("uuid", false)));
        assertThat(CatalogReader.read(schema.dataSource(), declare("things", List.of("id"))).get("things"))
                .containsExactly(entry("id", new Column("uuid", false))); // still there
    }

    @Test
    void namesPassedToToRegclassNeverMakeItRaise() throws SQLException {
        List<String> names = List.of("things", "THINGS", "\"things\"", "\"Things\"", schema.name() + ".things",
                "\"" + schema.name() + "\".\"things\"", " things ", "a . b", "\"a\"\"b\"", "\"a.b\".c", "_x$1", "Ä",
                "a.b.c", "a.b.c.d", "a..b", ".a", "a.", "\"a\"b", "a\"b", "\"\"", "\"", "", " ", "a b", "a;b", "a,b", "1abc",
                "a\tb", "x" + "y".repeat(100));
        List<String> acceptedByPostgres = new java.util.ArrayList<>();
        try (java.sql.Connection connection = schema.connect();
                java.sql.PreparedStatement statement = connection.prepareStatement("select to_regclass(?)")) {
            connection.setAutoCommit(true);
            for (String name : names) {
                statement.setString(1, name);
                boolean raised;
                try (java.sql.ResultSet rows = statement.executeQuery()) {
                    raised = !rows.next();
                } catch (SQLException e) {
                    raised = true;
                }
                String passed = CatalogReader.relationNameOrNull(name);
                if (passed != null) {
                    assertThat(raised).as("to_regclass raised on %s", name).isFalse();
                }
                if (!raised) {
                    acceptedByPostgres.add(name);
                }
            }
        }
        // everything PostgreSQL accepts is passed on, except the empty quoted name (names nothing);
        // a database-qualified name of another database ("a.b.c") raises, so it is not passed on
        assertThat(acceptedByPostgres).doesNotContain("a.b.c", "a.b.c.d", "a b", "\"");
        assertThat(acceptedByPostgres).filteredOn(name -> CatalogReader.relationNameOrNull(name) == null)
                .containsExactly("\"\"");
    }

    @Test
    void emptyDeclarationNeedsNoConnection() throws SQLException {
        javax.sql.DataSource unreachable = new DataSourceQuerierTest.CountingDataSource(null) {
            @Override
            public java.sql.Connection getConnection() throws SQLException {
                throw new SQLException("must not connect");
            }
        };
        assertThat(CatalogReader.read(unreachable, Map.of())).isEmpty();
        assertThat(CatalogReader.read(unreachable, Map.of("t", Set.of()))).containsExactly(entry("t", Map.of()));
    }
}
