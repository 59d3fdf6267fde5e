package dev.arcana.engine.pg;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import dev.arcana.engine.pg.PgOutputMessage.Begin;
import dev.arcana.engine.pg.PgOutputMessage.Column;
import dev.arcana.engine.pg.PgOutputMessage.Commit;
import dev.arcana.engine.pg.PgOutputMessage.Delete;
import dev.arcana.engine.pg.PgOutputMessage.Insert;
import dev.arcana.engine.pg.PgOutputMessage.Relation;
import dev.arcana.engine.pg.PgOutputMessage.Truncate;
import dev.arcana.engine.pg.PgOutputMessage.Tuple;
import dev.arcana.engine.pg.PgOutputMessage.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns decoded pgoutput messages into the {@link Change}s of each committed transaction.
 *
 * <ul>
 * <li>Relations map to the tables the graphs declare by schema and name
 * ({@code declaredTables}: {@code "schema.name"} → declared name); changes of other relations are
 * skipped.</li>
 * <li>Key and tenant values are rendered as the engine's ids are: PostgreSQL's text form, with
 * {@code uuid} lower-cased and {@code bool} as {@code true}/{@code false} (what JDBC's
 * {@code getObject(..).toString()} and the trigger payload's {@code ::text} produce).</li>
 * <li>UPDATE: with the whole old row (REPLICA IDENTITY FULL) only the columns whose value
 * changed are reported, and an UPDATE changing nothing is dropped; without it, all columns.
 * A changed key or tenant becomes DELETE of the old row + INSERT of the new one.</li>
 * <li>Without the old tenant value (DELETE or a key change under the default replica identity)
 * the change carries no workspace, so every workspace considers it: correct, but costlier than
 * REPLICA IDENTITY FULL on tenant-scoped tables.</li>
 * <li>A transaction of more than {@code maxChanges} row changes collapses into one table-wide
 * change per table, bounding memory; its views re-run once either way.</li>
 * </ul>
 * Not thread-safe: one per replication stream.
 */
public final class WalTransactionAssembler {
    static final int UUID_OID = 2950;
    static final int BOOL_OID = 16;

    /** One committed transaction: its changes, the LSN to acknowledge after handing them over, and its xid. */
    public record Batch(List<Change> changes, long endLsn, int xid) {
    }

    /** A declared relation: where its key, tenant and matched columns ({@code ColumnMatch}) are in its tuples. */
    private record Bound(String table, int keyIndex, int keyType, int tenantIndex, int tenantType, String[] names,
                         int[] matchIndexes, int[] matchTypes) {
    }

    private final Map<String, String> declaredTables;
    private final Map<String, TableDependency> dependencies;
    private final int maxChanges;
    private final Map<Integer, Bound> relations = new HashMap<>();
    private final Map<Integer, Relation> unbound = new HashMap<>();
    private List<Change> changes = new ArrayList<>();
    private final Set<String> collapsedTables = new LinkedHashSet<>();
    private boolean collapsed;
    private int xid;

    /**
     * @param declaredTables {@code "schema.relation"} → table name as declared by the graphs
     * @param dependencies   declared table name → its dependency (key and tenant column)
     * @param maxChanges     row changes per transaction kept individually
     */
    public WalTransactionAssembler(Map<String, String> declaredTables, Map<String, TableDependency> dependencies,
                                   int maxChanges) {
        this.declaredTables = Map.copyOf(declaredTables);
        this.dependencies = Map.copyOf(dependencies);
        if (maxChanges < 1) {
            throw new IllegalArgumentException("maxChanges must be positive: " + maxChanges);
        }
        this.maxChanges = maxChanges;
    }

    /** Feeds one message; returns the finished transaction at its Commit, null otherwise. */
    public Batch accept(PgOutputMessage message) {
        if (message instanceof Begin begin) {
            reset();
            xid = begin.xid();
        } else if (message instanceof Relation relation) {
            bind(relation);
        } else if (message instanceof Insert insert) {
            insert(insert);
        } else if (message instanceof Update update) {
            update(update);
        } else if (message instanceof Delete delete) {
            delete(delete);
        } else if (message instanceof Truncate truncate) {
            truncate(truncate);
        } else if (message instanceof Commit commit) {
            List<Change> done = collapsed
                    ? collapsedTables.stream().map(Change::tableWide).toList()
                    : List.copyOf(changes);
            reset();
            return new Batch(done, commit.endLsn(), xid);
        }
        return null;
    }

    private void reset() {
        changes = new ArrayList<>();
        collapsedTables.clear();
        collapsed = false;
    }

    private void bind(Relation relation) {
        String declared = declaredTables.get(relation.namespace() + "." + relation.name());
        if (declared == null) {
            relations.remove(relation.oid());
            unbound.put(relation.oid(), relation);
            return;
        }
        TableDependency dependency = Objects.requireNonNull(dependencies.get(declared), declared);
        List<Column> columns = relation.columns();
        String[] names = new String[columns.size()];
        int key = -1;
        int tenant = -1;
        for (int i = 0; i < names.length; i++) {
            names[i] = columns.get(i).name();
            if (names[i].equals(dependency.keyColumn())) {
                key = i;
            }
            if (names[i].equals(dependency.tenantColumn())) {
                tenant = i;
            }
        }
        List<Integer> matched = new ArrayList<>();
        for (dev.arcana.api.ColumnMatch match : dependency.matches()) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equals(match.column())) {
                    matched.add(i);
                }
            }
        }
        int[] matchIndexes = matched.stream().mapToInt(Integer::intValue).toArray();
        int[] matchTypes = matched.stream().mapToInt(i -> columns.get(i).typeOid()).toArray();
        relations.put(relation.oid(), new Bound(declared, key, key < 0 ? 0 : columns.get(key).typeOid(), tenant,
                tenant < 0 ? 0 : columns.get(tenant).typeOid(), names, matchIndexes, matchTypes));
        unbound.remove(relation.oid());
    }

    private void insert(Insert insert) {
        Bound table = relations.get(insert.relationOid());
        if (table != null) {
            add(table, new Change(table.table(), key(table, insert.newTuple()), ChangeOp.INSERT, Set.of(),
                    tenant(table, insert.newTuple()), values(table, insert.newTuple())));
        }
    }

    private void update(Update update) {
        Bound table = relations.get(update.relationOid());
        if (table == null) {
            return;
        }
        Tuple now = update.newTuple();
        Tuple old = update.oldTuple();
        String newKey = key(table, now);
        String newTenant = tenant(table, now);
        Map<String, String> newValues = values(table, now);
        if (old == null) {
            add(table, new Change(table.table(), newKey, ChangeOp.UPDATE, Set.of(), newTenant, newValues));
            return;
        }
        String oldKey = key(table, old);
        boolean full = update.oldKind() == 'O';
        String oldTenant = full ? tenant(table, old) : null;
        if (!Objects.equals(oldKey, newKey) || (full && !Objects.equals(oldTenant, newTenant))) {
            add(table, new Change(table.table(), oldKey, ChangeOp.DELETE, Set.of(), oldTenant));
            add(table, new Change(table.table(), newKey, ChangeOp.INSERT, Set.of(), newTenant, newValues));
            return;
        }
        if (!full) {
            add(table, new Change(table.table(), newKey, ChangeOp.UPDATE, Set.of(), newTenant, newValues));
            return;
        }
        Set<String> changed = new LinkedHashSet<>();
        for (int i = 0; i < table.names().length && i < now.size() && i < old.size(); i++) {
            if (now.kind(i) != 'u' && !Objects.equals(now.text(i), old.text(i))) {
                changed.add(table.names()[i]);
            }
        }
        if (!changed.isEmpty()) { // like the triggers: an UPDATE that changes nothing is not a change
            add(table, new Change(table.table(), newKey, ChangeOp.UPDATE, changed, newTenant, newValues));
        }
    }

    private void delete(Delete delete) {
        Bound table = relations.get(delete.relationOid());
        if (table != null) {
            String tenant = delete.oldKind() == 'O' ? tenant(table, delete.oldTuple()) : null;
            add(table, new Change(table.table(), key(table, delete.oldTuple()), ChangeOp.DELETE, Set.of(), tenant));
        }
    }

    private void truncate(Truncate truncate) {
        for (int oid : truncate.relationOids()) {
            Bound table = relations.get(oid);
            if (table != null) {
                add(table, new Change(table.table(), null, ChangeOp.TRUNCATE, Set.of(), null));
            }
        }
    }

    private void add(Bound table, Change change) {
        collapsedTables.add(table.table());
        if (collapsed) {
            return;
        }
        changes.add(change);
        if (changes.size() > maxChanges) {
            collapsed = true;
            changes = new ArrayList<>();
        }
    }

    /** The key as the engine's id, or null (table-wide) when the key column is not in the relation. */
    private static String key(Bound table, Tuple tuple) {
        return table.keyIndex() < 0 || tuple == null ? null : canonical(table.keyType(), tuple.text(table.keyIndex()));
    }

    /** The matched columns' values in {@code tuple} (null and unchanged-TOAST values are unknown: left out). */
    private static Map<String, String> values(Bound table, Tuple tuple) {
        if (table.matchIndexes().length == 0 || tuple == null) {
            return Map.of();
        }
        Map<String, String> values = new HashMap<>();
        for (int m = 0; m < table.matchIndexes().length; m++) {
            int i = table.matchIndexes()[m];
            if (i < tuple.size() && tuple.kind(i) == 't') {
                values.put(table.names()[i], canonical(table.matchTypes()[m], tuple.text(i)));
            }
        }
        return values;
    }

    private static String tenant(Bound table, Tuple tuple) {
        if (table.tenantIndex() < 0 || tuple == null || tuple.kind(table.tenantIndex()) != 't') {
            return null;
        }
        return canonical(table.tenantType(), tuple.text(table.tenantIndex()));
    }

    static String canonical(int typeOid, String text) {
        if (text == null) {
            return null;
        }
        return switch (typeOid) {
            case UUID_OID -> text.toLowerCase(Locale.ROOT);
            case BOOL_OID -> "t".equals(text) ? "true" : "f".equals(text) ? "false" : text;
            default -> text;
        };
    }

    /** Relations seen that no graph declares (e.g. with a FOR ALL TABLES publication). */
    int unboundRelations() {
        return unbound.size();
    }
}
