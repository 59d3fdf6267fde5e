package dev.arcana.engine;

import dev.arcana.api.ColumnMatch;
import dev.arcana.api.Graph;
import dev.arcana.api.TableDependency;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * One workspace's instances by the values their {@link ColumnMatch}es promise, per (graph, table):
 * a change carrying a row's new values finds the instances that may show the row in one lookup.
 * Instances whose value is unknown (a null or floating-point param) are kept apart and are always
 * candidates. Written under the workspace lock, read without it (concurrent maps and sets).
 */
final class MatchIndex {
    private static final char SEPARATOR = '\u0000';

    /** graph key + table → value key → instances. */
    private final Map<String, Map<String, Set<QueryInstance>>> byValues = new ConcurrentHashMap<>();
    /** graph key + table → instances that cannot be indexed. */
    private final Map<String, Set<QueryInstance>> unindexed = new ConcurrentHashMap<>();

    void add(QueryInstance instance) {
        forEachSlot(instance, (slot, values) -> (values == null
                ? unindexed.computeIfAbsent(slot, k -> ConcurrentHashMap.newKeySet())
                : byValues.computeIfAbsent(slot, k -> new ConcurrentHashMap<>())
                        .computeIfAbsent(values, k -> ConcurrentHashMap.newKeySet())).add(instance));
    }

    void remove(QueryInstance instance) {
        forEachSlot(instance, (slot, values) -> {
            if (values == null) {
                Set<QueryInstance> set = unindexed.get(slot);
                if (set != null) {
                    set.remove(instance);
                }
                return;
            }
            Map<String, Set<QueryInstance>> slotValues = byValues.get(slot);
            Set<QueryInstance> set = slotValues == null ? null : slotValues.get(values);
            if (set != null && set.remove(instance) && set.isEmpty()) {
                slotValues.remove(values, set);
            }
        });
    }

    /** For each of the instance's dependencies with matches: its slot and value key (null: unknown). */
    private static void forEachSlot(QueryInstance instance, java.util.function.BiConsumer<String, String> action) {
        for (TableDependency dependency : instance.graph().dependencies()) {
            if (!dependency.matches().isEmpty()) {
                action.accept(slot(instance.graph(), dependency.table()), valuesOf(instance, dependency.matches()));
            }
        }
    }

    /**
     * Hands {@code into} the instances of {@code graph} whose values equal the row's new values, and
     * those that cannot be indexed; false (nothing handed) when {@code rowValues} lacks one of
     * {@code dependency}'s match columns: the caller then takes every instance.
     */
    boolean matching(Graph graph, TableDependency dependency, Map<String, String> rowValues,
                     Consumer<QueryInstance> into) {
        StringBuilder key = new StringBuilder();
        for (ColumnMatch match : dependency.matches()) {
            String value = rowValues.get(match.column());
            if (value == null) {
                return false;
            }
            key.append(value).append(SEPARATOR);
        }
        String slot = slot(graph, dependency.table());
        Map<String, Set<QueryInstance>> slotValues = byValues.get(slot);
        Set<QueryInstance> found = slotValues == null ? null : slotValues.get(key.toString());
        if (found != null) {
            found.forEach(into);
        }
        Set<QueryInstance> always = unindexed.get(slot);
        if (always != null) {
            always.forEach(into);
        }
        return true;
    }

    private static String slot(Graph graph, String table) {
        return graph.key() + SEPARATOR + table;
    }

    /** The instance's values for the matches, as one key; null when one is unknown. */
    private static String valuesOf(QueryInstance instance, List<ColumnMatch> matches) {
        StringBuilder key = new StringBuilder();
        for (ColumnMatch match : matches) {
            String value;
            if (match.source() instanceof ColumnMatch.ParamValue param) {
                value = asText(instance.params().get(param.name()));
            } else if (match.source() instanceof ColumnMatch.WorkspaceValue) {
                value = instance.key().workspaceId();
            } else {
                value = instance.identity().userId();
            }
            if (value == null) {
                return null;
            }
            key.append(value).append(SEPARATOR);
        }
        return key.toString();
    }

    /** A param's value as PostgreSQL prints the equal column value ({@code ::text}); null when there is no such form. */
    static String asText(Object value) {
        if (value instanceof String || value instanceof UUID || value instanceof Boolean
                || value instanceof Long || value instanceof Integer) {
            return Objects.toString(value);
        }
        return null;
    }
}
