package dev.arcana.api;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Resolved parameters of one subscription: defaults applied, unknown keys dropped, values in
 * canonical types (UUID text, Long, Double, Boolean, String), keys sorted.
 */
public final class Params {
    private static final Params EMPTY = new Params(new TreeMap<>());
    private final SortedMap<String, Object> values;

    Params(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    public static Params empty() {
        return EMPTY;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The raw resolved value, or null when absent. */
    public Object get(String name) {
        return values.get(name);
    }

    /** The resolved values in key order. */
    public SortedMap<String, Object> asMap() {
        return values;
    }

    public UUID uuid(String name) {
        String text = (String) typed(name, ParamType.UUID, String.class, false);
        return text == null ? null : UUID.fromString(text);
    }

    public String string(String name) {
        return (String) typed(name, ParamType.STRING, String.class, false);
    }

    public long longValue(String name) {
        return (Long) typed(name, ParamType.INT, Long.class, true);
    }

    public int intValue(String name) {
        long value = longValue(name);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("param '" + name + "' does not fit an int: " + value);
        }
        return (int) value;
    }

    public double floatValue(String name) {
        Object value = typed(name, ParamType.FLOAT, Number.class, true);
        return ((Number) value).doubleValue();
    }

    public boolean bool(String name) {
        return (Boolean) typed(name, ParamType.BOOL, Boolean.class, true);
    }

    private Object typed(String name, ParamType type, Class<?> javaType, boolean primitive) {
        Object value = values.get(name);
        if (value == null) {
            if (primitive) {
                throw new IllegalArgumentException("param '" + name + "' has no value (check has() first)");
            }
            return null;
        }
        if (!javaType.isInstance(value)) {
            throw new IllegalArgumentException("param '" + name + "' is not of type " + type.wireName());
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
