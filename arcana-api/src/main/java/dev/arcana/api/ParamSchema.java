package dev.arcana.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A graph's parameters by name, in declaration order; validates raw input into {@link Params}. */
public final class ParamSchema {
    private static final ParamSchema EMPTY = new ParamSchema(Map.of());
    private final Map<String, Param> params;

    private ParamSchema(Map<String, Param> params) {
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public static ParamSchema of(Map<String, Param> params) {
        return params.isEmpty() ? EMPTY : new ParamSchema(params);
    }

    public static ParamSchema empty() {
        return EMPTY;
    }

    public Map<String, Param> params() {
        return params;
    }

    /** Problems with the schema itself, for deployment-time validation. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        params.forEach((name, spec) -> {
            if (name == null || name.isBlank()) {
                problems.add("a param has an empty name");
            } else {
                problems.addAll(spec.problems(name));
            }
        });
        return problems;
    }

    /** Non-strict validation: unknown keys are dropped. */
    public Params resolve(Map<String, ?> raw) {
        return resolve(raw, false);
    }

    /**
     * Validates {@code raw}: applies defaults, coerces types (JSON null counts as missing) and,
     * when {@code strict}, rejects unknown keys.
     *
     * @throws InvalidParamsException naming the first offending param (in declaration order,
     *                                then unknown keys in sorted order)
     */
    public Params resolve(Map<String, ?> raw, boolean strict) {
        Map<String, ?> input = raw == null ? Map.of() : raw;
        TreeMap<String, Object> resolved = new TreeMap<>();
        for (Map.Entry<String, Param> entry : params.entrySet()) {
            String name = entry.getKey();
            Param spec = entry.getValue();
            Object value = ParamValues.plain(input.get(name));
            if (value == null) {
                if (spec.defaultValue() != null) {
                    resolved.put(name, ParamValues.coerce(name, spec, spec.defaultValue()));
                } else if (spec.isRequired()) {
                    throw new InvalidParamsException(name, "param '" + name + "' is required");
                }
                continue;
            }
            resolved.put(name, ParamValues.coerce(name, spec, value));
        }
        if (strict) {
            new TreeMap<>(input).keySet().stream()
                    .filter(key -> !params.containsKey(key))
                    .findFirst()
                    .ifPresent(key -> {
                        throw new InvalidParamsException(key, "unknown param '" + key + "'");
                    });
        }
        return new Params(resolved);
    }
}
