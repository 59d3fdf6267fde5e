package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;

class JsonValuesTest {

    private static final Instant INSTANT = Instant.parse("2024-05-01T08:15:30.123Z");

    enum Status { ACTIVE, ARCHIVED }

    record Point(int x, int y) {
    }

    @Test
    void nullBecomesJsonNull() {
        assertThat(JsonValues.of(null)).isSameAs(JsonValue.NULL);
    }

    @Test
    void jsonValuesPassThrough() {
        JsonObject object = Json.createObjectBuilder().add("a", 1).build();
        assertThat(JsonValues.of(object)).isSameAs(object);
        assertThat(JsonValues.of(JsonValue.TRUE)).isSameAs(JsonValue.TRUE);
        assertThat(JsonValues.of(JsonValue.EMPTY_JSON_ARRAY)).isSameAs(JsonValue.EMPTY_JSON_ARRAY);
    }

    @Test
    void stringsAndBooleans() {
        assertThat(string(JsonValues.of("héllo <b>"))).isEqualTo("héllo <b>");
        assertThat(JsonValues.of(true)).isSameAs(JsonValue.TRUE);
        assertThat(JsonValues.of(Boolean.FALSE)).isSameAs(JsonValue.FALSE);
    }

    @Test
    void integralTypesBecomeIntegralNumbers() {
        assertThat(List.of(42, 42L, (short) 42, (byte) 42)).allSatisfy(value -> {
            JsonNumber number = (JsonNumber) JsonValues.of(value);
            assertThat(number.isIntegral()).isTrue();
            assertThat(number.longValueExact()).isEqualTo(42L);
            assertThat(number).hasToString("42");
        });
        assertThat(JsonValues.of(Long.MAX_VALUE)).hasToString("9223372036854775807");
        assertThat(JsonValues.of(Integer.MIN_VALUE)).hasToString("-2147483648");
    }

    @Test
    void bigNumbersKeepTheirValue() {
        BigInteger big = new BigInteger("123456789012345678901234567890");
        assertThat(((JsonNumber) JsonValues.of(big)).bigIntegerValueExact()).isEqualTo(big);
        BigDecimal decimal = new BigDecimal("12345.678901234567890");
        assertThat(((JsonNumber) JsonValues.of(decimal)).bigDecimalValue()).isEqualTo(decimal);
    }

    @Test
    void doublesAndFloatsBecomeNumbers() {
        assertThat(((JsonNumber) JsonValues.of(1.5)).doubleValue()).isEqualTo(1.5);
        assertThat(((JsonNumber) JsonValues.of(-0.25)).doubleValue()).isEqualTo(-0.25);
        assertThat(((JsonNumber) JsonValues.of(1.5f)).doubleValue()).isEqualTo(1.5);
        // a float is taken by its decimal text, not widened to 0.10000000149011612
        assertThat(((JsonNumber) JsonValues.of(0.1f)).bigDecimalValue()).isEqualByComparingTo("0.1");
    }

    @Test
    void nanAndInfinitiesBecomeStrings() {
        assertThat(string(JsonValues.of(Double.NaN))).isEqualTo("NaN");
        assertThat(string(JsonValues.of(Double.POSITIVE_INFINITY))).isEqualTo("Infinity");
        assertThat(string(JsonValues.of(Double.NEGATIVE_INFINITY))).isEqualTo("-Infinity");
        assertThat(string(JsonValues.of(Float.NaN))).isEqualTo("NaN");
        assertThat(string(JsonValues.of(Float.NEGATIVE_INFINITY))).isEqualTo("-Infinity");
    }

    @Test
    void uuidBecomesItsText() {
        UUID id = UUID.fromString("550e8400-e29b-41d4-a716-446655440000");
        assertThat(string(JsonValues.of(id))).isEqualTo("550e8400-e29b-41d4-a716-446655440000");
    }

    @Test
    void javaTimeValuesBecomeIsoStrings() {
        assertThat(string(JsonValues.of(INSTANT))).isEqualTo("2024-05-01T08:15:30.123Z");
        assertThat(string(JsonValues.of(Instant.parse("2024-05-01T08:00:00Z")))).isEqualTo("2024-05-01T08:00:00Z");
        assertThat(string(JsonValues.of(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 0, ZoneOffset.ofHours(2)))))
                .isEqualTo("2024-05-01T10:00:00+02:00");
        assertThat(string(JsonValues.of(OffsetDateTime.of(2024, 5, 1, 10, 0, 0, 500_000_000, ZoneOffset.UTC))))
                .isEqualTo("2024-05-01T10:00:00.5Z");
        assertThat(string(JsonValues.of(ZonedDateTime.of(2024, 5, 1, 10, 15, 30, 0, ZoneId.of("Europe/Paris")))))
                .isEqualTo("2024-05-01T10:15:30+02:00");
        assertThat(string(JsonValues.of(LocalDate.of(2024, 5, 1)))).isEqualTo("2024-05-01");
        assertThat(string(JsonValues.of(LocalDateTime.of(2024, 5, 1, 10, 0)))).isEqualTo("2024-05-01T10:00:00");
        assertThat(string(JsonValues.of(LocalDateTime.of(2024, 5, 1, 10, 0, 1, 123_456_000))))
                .isEqualTo("2024-05-01T10:00:01.123456");
        assertThat(string(JsonValues.of(LocalTime.of(10, 0)))).isEqualTo("10:00:00");
        assertThat(string(JsonValues.of(LocalTime.of(23, 59, 59, 1)))).isEqualTo("23:59:59.000000001");
        assertThat(string(JsonValues.of(OffsetTime.of(10, 0, 0, 0, ZoneOffset.UTC)))).isEqualTo("10:00:00Z");
        assertThat(string(JsonValues.of(OffsetTime.of(10, 30, 0, 0, ZoneOffset.ofHoursMinutes(-3, -30)))))
                .isEqualTo("10:30:00-03:30");
    }

    @Test
    void jdbcTimestampBecomesAUtcInstant() {
        assertThat(string(JsonValues.of(java.sql.Timestamp.from(INSTANT)))).isEqualTo("2024-05-01T08:15:30.123Z");
        java.sql.Timestamp nanos = java.sql.Timestamp.from(Instant.parse("2024-05-01T08:15:30Z"));
        nanos.setNanos(123_456_789);
        assertThat(string(JsonValues.of(nanos))).isEqualTo("2024-05-01T08:15:30.123456789Z");
    }

    @Test
    void jdbcDateAndTimeBecomeLocalDateAndTime() {
        assertThat(string(JsonValues.of(java.sql.Date.valueOf(LocalDate.of(2024, 5, 1))))).isEqualTo("2024-05-01");
        assertThat(string(JsonValues.of(java.sql.Time.valueOf(LocalTime.of(10, 15, 30))))).isEqualTo("10:15:30");
    }

    @Test
    void utilDateBecomesAUtcInstant() {
        assertThat(string(JsonValues.of(java.util.Date.from(INSTANT)))).isEqualTo("2024-05-01T08:15:30.123Z");
    }

    @Test
    void sqlArrayBecomesAnArrayOfItsElements() {
        JsonValue value = JsonValues.of(sqlArray(new Object[] {1, "two", null, new BigDecimal("3.5")}));
        assertThat(value).isEqualTo(Json.createArrayBuilder()
                .add(1).add("two").addNull().add(new BigDecimal("3.5")).build());
        assertThat(JsonValues.of(sqlArray(new long[] {1L, 2L}))).hasToString("[1,2]");
    }

    @Test
    void sqlArrayFailureBecomesIllegalStateExceptionWithTheCause() {
        SQLException failure = new SQLException("connection closed");
        assertThatThrownBy(() -> JsonValues.of(sqlArray(failure)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot read a SQL array: connection closed")
                .hasCause(failure);
    }

    @Test
    void mapsBecomeObjectsWithStringKeysInOrder() {
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put(2, "two");
        map.put("nested", Map.of("x", List.of(true)));
        map.put("none", null);
        JsonObject object = (JsonObject) JsonValues.of(map);
        assertThat(object.keySet()).containsExactly("b", "2", "nested", "none");
        assertThat(object).hasToString("{\"b\":1,\"2\":\"two\",\"nested\":{\"x\":[true]},\"none\":null}");
    }

    @Test
    void collectionsAndArraysBecomeArrays() {
        assertThat(JsonValues.of(List.of(1, "a", false))).hasToString("[1,\"a\",false]");
        assertThat(JsonValues.of(new LinkedHashSet<>(List.of("x", "y")))).hasToString("[\"x\",\"y\"]");
        assertThat(JsonValues.of(new String[] {"p", null})).hasToString("[\"p\",null]");
        assertThat(JsonValues.of(new int[] {1, 2, 3})).hasToString("[1,2,3]");
        assertThat(JsonValues.of(new long[] {4L})).hasToString("[4]");
        assertThat(JsonValues.of(new boolean[] {true, false})).hasToString("[true,false]");
        assertThat(((JsonArray) JsonValues.of(new double[] {1.5, Double.NaN})).get(1)).isEqualTo(Json.createValue("NaN"));
        assertThat(JsonValues.of(new int[0][])).hasToString("[]");
        assertThat(JsonValues.of(new int[][] {{1}, {2, 3}})).hasToString("[[1],[2,3]]");
        assertThat(JsonValues.of(new ArrayList<>(Arrays.asList(UUID.fromString("550e8400-e29b-41d4-a716-446655440000")))))
                .hasToString("[\"550e8400-e29b-41d4-a716-446655440000\"]");
    }

    @Test
    void bytesBecomeBase64() {
        assertThat(string(JsonValues.of(new byte[] {1, 2, 3, (byte) 0xff}))).isEqualTo("AQID/w==");
        assertThat(string(JsonValues.of(new byte[0]))).isEmpty();
    }

    @Test
    void enumsBecomeTheirName() {
        assertThat(string(JsonValues.of(Status.ARCHIVED))).isEqualTo("ARCHIVED");
    }

    @Test
    void otherValuesBecomeTheirText() {
        assertThat(string(JsonValues.of(new Point(1, 2)))).isEqualTo("Point[x=1, y=2]");
        assertThat(string(JsonValues.of(URI.create("https://example.org/a")))).isEqualTo("https://example.org/a");
        assertThat(string(JsonValues.of('c'))).isEqualTo("c");
    }

    @Test
    void otherNumbersBecomeNumbers() {
        assertThat(JsonValues.of(new AtomicLong(7))).isEqualTo(Json.createValue(7));
    }

    @Test
    void postgresJsonAndJsonbAreParsed() throws SQLException {
        assertThat(JsonValues.of(pg("jsonb", "{\"a\": [1, 2.5, null], \"b\": \"x\"}")))
                .isEqualTo(Json.createObjectBuilder()
                        .add("a", Json.createArrayBuilder().add(1).add(new BigDecimal("2.5")).addNull())
                        .add("b", "x").build());
        assertThat(JsonValues.of(pg("json", "[true, \"t\"]"))).hasToString("[true,\"t\"]");
        assertThat(JsonValues.of(pg("json", "42"))).isEqualTo(Json.createValue(42));
        assertThat(JsonValues.of(pg("jsonb", "\"s\""))).isEqualTo(Json.createValue("s"));
        assertThat(JsonValues.of(pg("jsonb", "null"))).isEqualTo(JsonValue.NULL);
    }

    @Test
    void postgresObjectWithoutValueIsNull() {
        PGobject empty = new PGobject();
        empty.setType("jsonb");
        assertThat(JsonValues.of(empty)).isSameAs(JsonValue.NULL);
    }

    @Test
    void unparsablePostgresJsonFallsBackToItsText() throws SQLException {
        assertThat(string(JsonValues.of(pg("json", "{not json")))).isEqualTo("{not json");
    }

    @Test
    void otherPostgresObjectsBecomeTheirText() throws SQLException {
        assertThat(string(JsonValues.of(pg("inet", "10.0.0.1/32")))).isEqualTo("10.0.0.1/32");
        assertThat(string(JsonValues.of(new PGInterval("1 day")))).isEqualTo(new PGInterval("1 day").getValue());
    }

    @Test
    void rowConvertsEveryFieldKeepingOrderAndNulls() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("id", UUID.fromString("550e8400-e29b-41d4-a716-446655440000"));
        fields.put("name", "Ann");
        fields.put("age", 41);
        fields.put("deleted_at", null);
        fields.put("tags", List.of("a"));
        JsonObject row = JsonValues.row(fields);
        assertThat(row.keySet()).containsExactly("id", "name", "age", "deleted_at", "tags");
        assertThat(row).hasToString("{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"name\":\"Ann\","
                + "\"age\":41,\"deleted_at\":null,\"tags\":[\"a\"]}");
    }

    @Test
    void emptyRowIsAnEmptyObject() {
        assertThat(JsonValues.row(Map.of())).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
    }

    // --- helpers ---

    private static String string(JsonValue value) {
        assertThat(value).isInstanceOf(JsonString.class);
        return ((JsonString) value).getString();
    }

    private static PGobject pg(String type, String value) throws SQLException {
        PGobject object = new PGobject();
        object.setType(type);
        object.setValue(value);
        return object;
    }

    /** A java.sql.Array whose getArray() answers {@code elements}, or throws it when it is an SQLException. */
    private static java.sql.Array sqlArray(Object elements) {
        return (java.sql.Array) Proxy.newProxyInstance(JsonValuesTest.class.getClassLoader(),
                new Class<?>[] {java.sql.Array.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getArray") && (args == null || args.length == 0)) {
                        if (elements instanceof SQLException e) {
                            throw e;
                        }
                        return elements;
                    }
                    if (method.getName().equals("toString")) {
                        return "sqlArray";
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
