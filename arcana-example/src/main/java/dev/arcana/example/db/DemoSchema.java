package dev.arcana.example.db;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Creates the example's tables if they are missing and seeds the demo data of {@link DemoData}, at application start,
 * right after {@link DemoDatabase} (and before any startup observer of default priority, such as the engine's).
 *
 * <p>Idempotent: tables and indexes are created {@code if not exists}; a workspace is seeded only while it has no
 * users, so demo rows that were edited or deleted stay that way across restarts on a persistent database. Concurrent
 * starts against one database are serialised by a transaction-scoped advisory lock.
 */
@ApplicationScoped
public class DemoSchema {

    /** Runs after {@link DemoDatabase#STARTUP_PRIORITY}, well before the default observer priority (2500). */
    public static final int STARTUP_PRIORITY = DemoDatabase.STARTUP_PRIORITY + 100;

    private static final Logger LOG = Logger.getLogger(DemoSchema.class.getName());

    static final List<String> DDL = List.of("""
            create table if not exists users (
              id uuid primary key,
              workspace_id text not null,
              org_id uuid not null,
              name text not null,
              email text not null,
              role text not null check (role in ('admin','member','viewer'))
            )""", """
            create table if not exists tasks (
              id uuid primary key,
              workspace_id text not null,
              title text not null,
              done boolean not null default false,
              assignee_id uuid references users(id),
              position int not null default 0,
              updated_at timestamptz not null default now()
            )""",
            "create index if not exists users_workspace_org_name on users (workspace_id, org_id, name)",
            "create index if not exists tasks_workspace_position on tasks (workspace_id, position, id)",
            "create index if not exists tasks_assignee on tasks (assignee_id)",
            // WAL mode: with the whole old row in the WAL, deletes and workspace moves reach only their workspace
            "alter table users replica identity full",
            "alter table tasks replica identity full");

    @Resource(lookup = "java:comp/env/jdbc/arcana")
    DataSource dataSource;

    void onStart(@Observes @Priority(STARTUP_PRIORITY) @Initialized(ApplicationScoped.class) Object event)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int seeded = createIfMissing(c);
            String url = c.getMetaData().getURL();
            int query = url.indexOf('?');
            String line = "Arcana example: schema ready on " + (query < 0 ? url : url.substring(0, query))
                    + (seeded > 0 ? " (seeded " + seeded + " demo workspace(s))" : " (demo data already present)");
            LOG.info(line);
            System.out.println(line);
        }
    }

    /**
     * Creates the tables if missing and seeds every demo workspace that has no users, in one transaction.
     *
     * @return how many workspaces were seeded
     */
    public static int createIfMissing(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            int seeded = 0;
            try (Statement s = c.createStatement()) {
                s.execute("select pg_advisory_xact_lock(4242017)");
                for (String ddl : DDL) {
                    s.execute(ddl);
                }
            }
            for (String workspace : List.of(DemoData.ACME, DemoData.GLOBEX)) {
                if (!hasUsers(c, workspace)) {
                    seed(c, workspace);
                    seeded++;
                }
            }
            c.commit();
            return seeded;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    private static boolean hasUsers(Connection c, String workspace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select exists (select 1 from users where workspace_id = ?)")) {
            ps.setString(1, workspace);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void seed(Connection c, String workspace) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into users (id, workspace_id, org_id, name, email, role) values (?, ?, ?, ?, ?, ?)
                on conflict (id) do nothing""")) {
            for (DemoData.User u : DemoData.users(workspace)) {
                ps.setObject(1, u.id());
                ps.setString(2, u.workspaceId());
                ps.setObject(3, u.orgId());
                ps.setString(4, u.name());
                ps.setString(5, u.email());
                ps.setString(6, u.role());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into tasks (id, workspace_id, title, done, assignee_id, position) values (?, ?, ?, ?, ?, ?)
                on conflict (id) do nothing""")) {
            for (DemoData.Task t : DemoData.tasks(workspace)) {
                ps.setObject(1, t.id());
                ps.setString(2, t.workspaceId());
                ps.setString(3, t.title());
                ps.setBoolean(4, t.done());
                if (t.assigneeId() == null) {
                    ps.setNull(5, Types.OTHER);
                } else {
                    ps.setObject(5, t.assigneeId());
                }
                ps.setInt(6, t.position());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
