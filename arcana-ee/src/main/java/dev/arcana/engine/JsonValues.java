package dev.arcana.engine;

import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Converts the values a factory puts in its rows (JDBC and plain Java values) to JSON-P.
 *
 * <table>
 * <caption>Conversions</caption>
 * <tr><th>Java</th><th>JSON</th></tr>
 * <tr><td>null</td><td>null</td></tr>
 * <tr><td>{@link JsonValue}</td><td>itself</td></tr>
 * <tr><td>String, Boolean</td><td>string, true/false</td></tr>
 * <tr><td>Integer, Long, Short, Byte, BigInteger, BigDecimal</td><td>number</td></tr>
 * <tr><td>Double, Float</td><td>number (a Float by its decimal text: 0.1f is 0.1); NaN and
 *     infinities as the strings "NaN", "Infinity", "-Infinity"</td></tr>
 * <tr><td>UUID, Enum (name()), Character</td><td>string</td></tr>
 * <tr><td>java.time: Instant, OffsetDateTime, ZonedDateTime, LocalDate, LocalDateTime, LocalTime,
 *     OffsetTime</td><td>ISO-8601 string, seconds always written, fraction only when not zero;
 *     a ZonedDateTime by its offset (no region id)</td></tr>
 * <tr><td>java.sql.Timestamp, java.util.Date</td><td>the instant, UTC: {@code 2024-05-01T10:00:00Z}</td></tr>
 * <tr><td>java.sql.Date, java.sql.Time</td><td>local date, local time</td></tr>
 * <tr><td>java.sql.Array, Collection, Object[], primitive arrays</td><td>array</td></tr>
 * <tr><td>byte[]</td><td>base64 string (standard alphabet, padded)</td></tr>
 * <tr><td>Map</td><td>object, keys by String.valueOf</td></tr>
 * <tr><td>PostgreSQL json/jsonb (PGobject)</td><td>the parsed JSON (its text when unparsable)</td></tr>
 * <tr><td>anything else</td><td>toString() as a string</td></tr>
 * </table>
 */
public final class JsonValues {

    private static final JsonProvider JSON = JsonSupport.provider();
    private static final String PG_OBJECT = "org.postgresql.util.PGobject";
    private static final ClassValue<PgObjectAccess> PG_ACCESS = new ClassValue<>() {
        @Override
        protected PgObjectAccess computeValue(Class<?> type) {
            return PgObjectAccess.of(type);
        }
    };

    private JsonValues() {
    }

    /** One row: its fields, in the map's order, converted by {@link #of(Object)}. */
    public static JsonObject row(Map<String, ?> fields) {
        JsonObjectBuilder builder = JSON.createObjectBuilder();
        fields.forEach((name, value) -> builder.add(String.valueOf(name), of(value)));
        return builder.build();
    }

    /** The JSON form of one value (see the class comment). */
    public static JsonValue of(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof String s) {
            return JSON.createValue(s);
        }
        if (value instanceof Boolean b) {
            return b ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return JSON.createValue(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return JSON.createValue(l.longValue());
        }
        if (value instanceof Double d) {
            return floating(d);
        }
        if (value instanceof Float f) {
            return Float.isFinite(f) ? JSON.createValue(new BigDecimal(Float.toString(f))) : floating(f.doubleValue());
        }
        if (value instanceof BigDecimal d) {
            return JSON.createValue(d);
        }
        if (value instanceof BigInteger i) {
            return JSON.createValue(i);
        }
        if (value instanceof UUID u) {
            return JSON.createValue(u.toString());
        }
        if (value instanceof TemporalAccessor temporal) {
            String text = temporal(temporal);
            if (text != null) {
                return JSON.createValue(text);
            }
        }
        if (value instanceof java.util.Date date) {
            return JSON.createValue(date(date));
        }
        if (value instanceof byte[] bytes) {
            return JSON.createValue(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder builder = JSON.createObjectBuilder();
            map.forEach((k, v) -> builder.add(String.valueOf(k), of(v)));
            return builder.build();
        }
        if (value instanceof Collection<?> collection) {
            JsonArrayBuilder builder = JSON.createArrayBuilder();
            for (Object element : collection) {
                builder.add(of(element));
            }
            return builder.build();
        }
        if (value.getClass().isArray()) {
            return array(value);
        }
        if (value instanceof java.sql.Array sqlArray) {
            try {
                return of(sqlArray.getArray());
            } catch (SQLException e) {
                throw new IllegalStateException("cannot read a SQL array: " + e.getMessage(), e);
            }
        }
        if (value instanceof Enum<?> e) {
            return JSON.createValue(e.name());
        }
        PgObjectAccess pg = PG_ACCESS.get(value.getClass());
        if (pg != PgObjectAccess.NONE) {
            return pg.json(value);
        }
        if (value instanceof Number n) {
            return number(n);
        }
        return JSON.createValue(value.toString());
    }

    private static JsonValue floating(double d) {
        if (Double.isNaN(d)) {
            return JSON.createValue("NaN");
        }
        if (Double.isInfinite(d)) {
            return JSON.createValue(d > 0 ? "Infinity" : "-Infinity");
        }
        return JSON.createValue(d);
    }

    /** Other Number types (AtomicLong, LongAdder, …) by their decimal text when it is one. */
    private static JsonValue number(Number n) {
        String text = n.toString();
        try {
            return JSON.createValue(new BigDecimal(text));
        } catch (NumberFormatException e) {
            return JSON.createValue(text);
        }
    }

    private static String temporal(TemporalAccessor value) {
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof OffsetDateTime odt) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(odt);
        }
        if (value instanceof ZonedDateTime zdt) {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(zdt);
        }
        if (value instanceof LocalDateTime ldt) {
            return DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(ldt);
        }
        if (value instanceof LocalDate date) {
            return date.toString();
        }
        if (value instanceof LocalTime time) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(time);
        }
        if (value instanceof OffsetTime time) {
            return DateTimeFormatter.ISO_OFFSET_TIME.format(time);
        }
        return null;
    }

    private static String date(java.util.Date date) {
        if (date instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().toString();
        }
        if (date instanceof java.sql.Date sqlDate) {
            return sqlDate.toLocalDate().toString();
        }
        if (date instanceof java.sql.Time time) {
            return DateTimeFormatter.ISO_LOCAL_TIME.format(time.toLocalTime());
        }
        return date.toInstant().toString();
    }

    private static JsonValue array(Object array) {
        JsonArrayBuilder builder = JSON.createArrayBuilder();
        if (array instanceof Object[] objects) {
            for (Object element : objects) {
                builder.add(of(element));
            }
        } else {
            int length = Array.getLength(array);
            for (int i = 0; i < length; i++) {
                builder.add(of(Array.get(array, i)));
            }
        }
        return builder.build();
    }

    /** Reflective access to the PostgreSQL driver's PGobject, which is no compile dependency. */
    private record PgObjectAccess(Method getType, Method getValue) {
        /** For classes that are no PGobject (ClassValue holds no nulls). */
        static final PgObjectAccess NONE = new PgObjectAccess(null, null);

        static PgObjectAccess of(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (PG_OBJECT.equals(c.getName())) {
                    try {
                        return new PgObjectAccess(c.getMethod("getType"), c.getMethod("getValue"));
                    } catch (NoSuchMethodException e) {
                        return NONE;
                    }
                }
            }
            return NONE;
        }

        JsonValue json(Object pgObject) {
            String type;
            String text;
            try {
                type = (String) getType.invoke(pgObject);
                text = (String) getValue.invoke(pgObject);
            } catch (ReflectiveOperationException e) {
                return JSON.createValue(pgObject.toString());
            }
            if (text == null) {
                return JsonValue.NULL;
            }
            if (type != null) {
                String lower = type.toLowerCase(Locale.ROOT);
                if (lower.equals("json") || lower.equals("jsonb")) {
                    try (JsonReader reader = JSON.createReader(new StringReader(text))) {
                        return reader.readValue();
                    } catch (JsonException e) {
                        return JSON.createValue(text);
                    }
                }
            }
            return JSON.createValue(text);
        }
    }
}
