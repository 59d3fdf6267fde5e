package dev.arcana.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/** Coerces one raw value (Java or JSON-P) to the canonical value of its param type. */
final class ParamValues {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private ParamValues() {
    }

    /** Unwraps JSON-P values; JSON null becomes Java null. */
    static Object plain(Object raw) {
        if (!(raw instanceof JsonValue json)) {
            return raw;
        }
        return switch (json.getValueType()) {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case STRING -> ((JsonString) json).getString();
            case NUMBER -> ((JsonNumber) json).bigDecimalValue();
            default -> json;
        };
    }

    /**
     * Returns the canonical value: UUID as lowercase text, int as Long, float as Double, bool as
     * Boolean, string as String.
     */
    static Object coerce(String name, Param spec, Object raw) {
        Object value = plain(raw);
        return switch (spec.type()) {
            case UUID -> uuid(name, value);
            case INT -> inRange(name, spec, integer(name, value));
            case FLOAT -> floating(name, value);
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b;
                }
                throw wrongType(name, "a bool", value);
            }
            case STRING -> {
                if (!(value instanceof String s)) {
                    throw wrongType(name, "a string", value);
                }
                if (spec.maxLength() != null && s.codePointCount(0, s.length()) > spec.maxLength()) {
                    throw new InvalidParamsException(name, "param '" + name + "' must be at most "
                            + spec.maxLength() + " characters long, got " + s.codePointCount(0, s.length()));
                }
                if (!spec.oneOf().isEmpty() && !spec.oneOf().contains(s)) {
                    throw new InvalidParamsException(name,
                            "param '" + name + "' must be one of " + spec.oneOf() + ", got " + quoted(s));
                }
                yield s;
            }
        };
    }

    private static Long inRange(String name, Param spec, long value) {
        if (spec.min() != null && value < spec.min()) {
            throw new InvalidParamsException(name,
                    "param '" + name + "' must be at least " + spec.min() + ", got " + value);
        }
        if (spec.max() != null && value > spec.max()) {
            throw new InvalidParamsException(name,
                    "param '" + name + "' must be at most " + spec.max() + ", got " + value);
        }
        return value;
    }

    private static String uuid(String name, Object value) {
        if (value instanceof UUID u) {
            return u.toString();
        }
        if (value instanceof String s) {
            if (UUID_TEXT.matcher(s).matches()) {
                return s.toLowerCase(Locale.ROOT);
            }
            throw new InvalidParamsException(name, "param '" + name + "' must be a UUID, got " + quoted(s));
        }
        throw wrongType(name, "a UUID", value);
    }

    private static Long integer(String name, Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        BigDecimal decimal = decimal(value);
        if (decimal == null) {
            throw wrongType(name, "an int", value);
        }
        BigDecimal stripped = decimal.stripTrailingZeros();
        if (stripped.scale() > 0) {
            throw new InvalidParamsException(name,
                    "param '" + name + "' must be an integral number, got " + decimal);
        }
        if (stripped.compareTo(LONG_MIN) < 0 || stripped.compareTo(LONG_MAX) > 0) {
            throw new InvalidParamsException(name, "param '" + name + "' is out of range for an int");
        }
        return stripped.longValueExact();
    }

    private static Double floating(String name, Object value) {
        BigDecimal decimal = decimal(value);
        if (decimal == null) {
            throw wrongType(name, "a float", value);
        }
        double d = decimal.doubleValue();
        if (Double.isInfinite(d)) {
            throw new InvalidParamsException(name, "param '" + name + "' is out of range for a float");
        }
        return d;
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        if (value instanceof Number n) {
            return BigDecimal.valueOf(n.longValue());
        }
        return null;
    }

    private static InvalidParamsException wrongType(String name, String expected, Object value) {
        return new InvalidParamsException(name,
                "param '" + name + "' must be " + expected + ", got " + describe(value));
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            return "string " + quoted(s);
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof Number) {
            return "number";
        }
        if (value instanceof JsonValue json) {
            return json.getValueType().name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof java.util.Collection || (value != null && value.getClass().isArray())) {
            return "array";
        }
        if (value instanceof java.util.Map) {
            return "object";
        }
        return value == null ? "null" : value.getClass().getSimpleName();
    }

    private static String quoted(String s) {
        String shown = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + shown + "\"";
    }
}
