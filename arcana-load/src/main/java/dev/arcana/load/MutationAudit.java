package dev.arcana.load;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Server-side evidence that no mutation ran twice: while a mutation scenario runs, a row trigger of
 * the driver's own ({@code AFTER UPDATE OF title ON tasks}, only for the scenario's workspaces)
 * inserts one audit row per committed execution of a rename, in the mutation's own transaction (a
 * rolled-back attempt leaves nothing). A rename to the same title again would change no data and
 * no view, so only such a trigger sees it. Installed before the clients connect, dropped after the
 * scenario; costs one small insert per mutation, in both server variants alike.
 */
final class MutationAudit implements AutoCloseable {
    private static final String TABLE = "load_mutation_audit";

    private final String jdbcUrl;

    private MutationAudit(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    /** What the audit saw: committed renames of the scenario's tasks, and titles committed more than once. */
    record Counts(long committed, long titlesCommittedTwice) {
    }

    static MutationAudit install(String jdbcUrl, String workspacePrefix) throws SQLException {
        try (Connection c = Fixture.connect(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("create table if not exists " + TABLE
                    + " (task_id uuid not null, title text not null, tx bigint not null)");
            s.execute("truncate " + TABLE);
            s.execute("create or replace function " + TABLE + "() returns trigger language plpgsql as $$ begin"
                    + " insert into " + TABLE + " values (new.id, new.title, txid_current()); return null; end $$");
            s.execute("drop trigger if exists " + TABLE + " on tasks");
            s.execute("create trigger " + TABLE + " after update of title on tasks for each row when"
                    + " (left(new.workspace_id, " + (workspacePrefix.length() + 1) + ") = " + literal(workspacePrefix + "-")
                    + ") execute function "
                    + TABLE + "()");
        }
        return new MutationAudit(jdbcUrl);
    }

    Counts counts() throws SQLException {
        try (Connection c = Fixture.connect(jdbcUrl); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), (select count(*) from (select title from " + TABLE
                     + " group by title having count(*) > 1) twice) from " + TABLE)) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2));
        }
    }

    @Override
    public void close() throws SQLException {
        try (Connection c = Fixture.connect(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("drop trigger if exists " + TABLE + " on tasks");
            s.execute("drop table if exists " + TABLE);
            s.execute("drop function if exists " + TABLE + "()");
        }
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
