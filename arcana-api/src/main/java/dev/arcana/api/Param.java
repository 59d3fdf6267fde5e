package dev.arcana.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The specification of one graph parameter: its type, whether it is required, its default, for
 * integers an inclusive range and, for strings, the allowed values and a maximum length.
 * Immutable; each modifier returns a new spec: {@code Param.uuid().required()},
 * {@code Param.integer().defaultValue(50).min(1).max(500)},
 * {@code Param.string().oneOf("admin", "member")}, {@code Param.string().maxLength(200)}.
 *
 * <p>A value outside the range or longer than the maximum is {@code invalid_params} naming the
 * param, before any factory runs (e.g. a negative {@code LIMIT} never reaches the database).
 *
 * @param min       smallest allowed value of an int param, or null
 * @param max       largest allowed value of an int param, or null
 * @param maxLength most characters (Unicode code points) of a string param, or null
 */
public record Param(ParamType type, boolean isRequired, Object defaultValue, List<String> oneOf,
                    Long min, Long max, Integer maxLength) {

    public Param {
        Objects.requireNonNull(type, "type");
        oneOf = oneOf == null ? List.of() : List.copyOf(oneOf);
    }

    /** A spec without range or length limits (the shape before they existed). */
    public Param(ParamType type, boolean isRequired, Object defaultValue, List<String> oneOf) {
        this(type, isRequired, defaultValue, oneOf, null, null, null);
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
        return new Param(type, true, defaultValue, oneOf, min, max, maxLength);
    }

    public Param defaultValue(Object value) {
        return new Param(type, isRequired, value, oneOf, min, max, maxLength);
    }

    public Param oneOf(String... values) {
        return new Param(type, isRequired, defaultValue, List.of(values), min, max, maxLength);
    }

    /** The smallest allowed value (inclusive); int params only. */
    public Param min(long value) {
        return new Param(type, isRequired, defaultValue, oneOf, value, max, maxLength);
    }

    /** The largest allowed value (inclusive); int params only. */
    public Param max(long value) {
        return new Param(type, isRequired, defaultValue, oneOf, min, value, maxLength);
    }

    /** The most characters (Unicode code points) allowed; string params only. */
    public Param maxLength(int value) {
        return new Param(type, isRequired, defaultValue, oneOf, min, max, value);
    }

    /** Problems with this spec itself (e.g. a default of the wrong type); empty when sound. */
    public List<String> problems(String name) {
        List<String> problems = new ArrayList<>();
        if (!oneOf.isEmpty() && type != ParamType.STRING) {
            problems.add("param '" + name + "': oneOf is only allowed on string params");
        }
        if ((min != null || max != null) && type != ParamType.INT) {
            problems.add("param '" + name + "': min and max are only allowed on int params");
        }
        if (min != null && max != null && min > max) {
            problems.add("param '" + name + "': min " + min + " is greater than max " + max);
        }
        if (maxLength != null && type != ParamType.STRING) {
            problems.add("param '" + name + "': maxLength is only allowed on string params");
        }
        if (maxLength != null && maxLength < 1) {
            problems.add("param '" + name + "': maxLength must be at least 1, got " + maxLength);
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
