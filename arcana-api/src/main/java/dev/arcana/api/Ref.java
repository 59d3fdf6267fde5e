package dev.arcana.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One entry of a view's structure: a row (table, id), the fields the view reads from it, and
 * nested refs (e.g. a task's assignee) by name.
 */
public record Ref(String table, String id, List<String> fields, Map<String, Ref> nested) {

    public Ref {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(id, "id");
        fields = List.copyOf(fields == null ? List.of() : fields);
        nested = nested == null || nested.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nested));
    }

    public static Ref of(String table, Object id, String... fields) {
        return new Ref(table, String.valueOf(id), List.of(fields), Map.of());
    }

    /** A copy of this ref with one more nested ref. */
    public Ref withNested(String name, Ref ref) {
        Map<String, Ref> copy = new LinkedHashMap<>(nested);
        copy.put(name, ref);
        return new Ref(table, id, fields, copy);
    }
}
