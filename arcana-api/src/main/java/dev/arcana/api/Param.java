package dev.arcana.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The specification of one graph parameter: its type, whether it is required, its default and,
 * for strings, the allowed values. Immutable; each modifier returns a new spec:
 * {@code Param.uuid().required()}, {@code Param.integer().defaultValue(50)},
 * {@code Param.string().oneOf("admin", "member")}.
 */
public record Param(ParamType type, boolean isRequired, Object defaultValue, List<String> oneOf) {

    public Param {
        Objects.requireNonNull(type, "type");
        oneOf = oneOf == null ? List.of() : List.copyOf(oneOf);
    }

    public static Param uuid() {
        return new Param(ParamType.UUID, false, null, List.of());
    }

    public static Param integer() {
        return new Param(ParamType.INT, false, null, List.of());
    }

    public static Param string() {
        return new Param(ParamType.STRING, false, null, List.of());
    }

    public static Param bool() {
        return new Param(ParamType.BOOL, false, null, List.of());
    }

    public static Param floating() {
        return new Param(ParamType.FLOAT, false, null, List.of());
    }

    public Param required() {
        return new Param(type, true, defaultValue, oneOf);
    }

    public Param defaultValue(Object value) {
        return new Param(type, isRequired, value, oneOf);
    }

    public Param oneOf(String... values) {
        return new Param(type, isRequired, defaultValue, List.of(values));
    }

    /** Problems with this spec itself (e.g. a default of the wrong type); empty when sound. */
    public List<String> problems(String name) {
        List<String> problems = new ArrayList<>();
        if (!oneOf.isEmpty() && type != ParamType.STRING) {
            problems.add("param '" + name + "': oneOf is only allowed on string params");
        }
        if (isRequired && defaultValue != null) {
            problems.add("param '" + name + "': a required param cannot have a default");
        }
        if (defaultValue != null) {
            try {
                ParamValues.coerce(name, this, defaultValue);
            } catch (InvalidParamsException e) {
                problems.add("default of " + e.getMessage());
            }
        }
        return problems;
    }
}
