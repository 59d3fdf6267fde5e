package dev.arcana.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class JsonEqualityTest {

    @Test
    void numbersCompareByValueNotScale() {
        assertThat(JsonEquality.equivalent(Json.createValue(1), Json.createValue(new BigDecimal("1.0")))).isTrue();
        assertThat(JsonEquality.equivalent(Json.createValue(1), Json.createValue(new BigDecimal("1.5")))).isFalse();
    }

    @Test
    void numbersInsideObjectsAndArraysCompareByValue() {
        JsonValue a = Json.createObjectBuilder().add("xs", Json.createArrayBuilder().add(2).add("s")).build();
        JsonValue b = Json.createObjectBuilder().add("xs", Json.createArrayBuilder().add(new BigDecimal("2.00")).add("s")).build();
        JsonValue c = Json.createObjectBuilder().add("xs", Json.createArrayBuilder().add(2).add("t")).build();
        assertThat(JsonEquality.equivalent(a, b)).isTrue();
        assertThat(JsonEquality.equivalent(a, c)).isFalse();
    }

    @Test
    void differentTypesAreNeverEqual() {
        assertThat(JsonEquality.equivalent(JsonValue.NULL, JsonValue.FALSE)).isFalse();
        assertThat(JsonEquality.equivalent(Json.createValue("1"), Json.createValue(1))).isFalse();
        assertThat(JsonEquality.equivalent(JsonValue.NULL, null)).isFalse();
        assertThat(JsonEquality.equivalent(JsonValue.NULL, JsonValue.NULL)).isTrue();
    }
}
