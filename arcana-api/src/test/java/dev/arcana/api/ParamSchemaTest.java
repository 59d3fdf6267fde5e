package dev.arcana.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ParamSchemaTest {

    private static final String ORG = "550e8400-e29b-41d4-a716-446655440000";

    /** org_id uuid required, limit int default 50, role string oneOf, active bool, ratio float, q string. */
    private static final ParamSchema SCHEMA = ParamSchema.of(specs(
            "org_id", Param.uuid().required(),
            "limit", Param.integer().defaultValue(50),
            "role", Param.string().oneOf("admin", "member"),
            "active", Param.bool(),
            "ratio", Param.floating(),
            "q", Param.string()));

    @Nested
    class Resolving {

        @Test
        void resolvesCanonicalValuesInKeyOrder() {
            Params params = SCHEMA.resolve(map("q", "x", "org_id", ORG, "limit", 20, "role", "admin",
                    "active", true, "ratio", 0.5));
            assertThat(params.asMap()).containsExactly(
                    Map.entry("active", true),
                    Map.entry("limit", 20L),
                    Map.entry("org_id", ORG),
                    Map.entry("q", "x"),
                    Map.entry("ratio", 0.5),
                    Map.entry("role", "admin"));
        }

        @Test
        void defaultIsAppliedWhenMissing() {
            Params params = SCHEMA.resolve(map("org_id", ORG));
            assertThat(params.get("limit")).isEqualTo(50L);
            assertThat(params.asMap()).containsOnlyKeys("org_id", "limit");
        }

        @Test
        void optionalParamWithoutDefaultIsAbsent() {
            Params params = SCHEMA.resolve(map("org_id", ORG));
            assertThat(params.has("q")).isFalse();
            assertThat(params.get("q")).isNull();
        }

        @Test
        void jsonNullAndJavaNullCountAsMissing() {
            Params fromJson = SCHEMA.resolve(map("org_id", ORG, "limit", JsonValue.NULL, "q", JsonValue.NULL));
            Params fromJava = SCHEMA.resolve(map("org_id", ORG, "limit", null, "q", null));
            assertThat(fromJson.asMap()).containsExactly(Map.entry("limit", 50L), Map.entry("org_id", ORG));
            assertThat(fromJava).isEqualTo(fromJson);
        }

        @Test
        void nullInputIsEmptyInput() {
            assertThat(ParamSchema.empty().resolve(null)).isEqualTo(Params.empty());
            assertThat(ParamSchema.of(specs("limit", Param.integer().defaultValue(5))).resolve(null).asMap())
                    .containsExactly(Map.entry("limit", 5L));
        }

        @Test
        void integralFloatingValueIsAcceptedAsInteger() {
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", 2.0)).get("limit")).isEqualTo(2L);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", new BigDecimal("2.000"))).get("limit")).isEqualTo(2L);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", new BigDecimal("2E+1"))).get("limit")).isEqualTo(20L);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", BigInteger.TEN)).get("limit")).isEqualTo(10L);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", (short) 3)).get("limit")).isEqualTo(3L);
        }

        @Test
        void integersAreAcceptedForFloats() {
            assertThat(SCHEMA.resolve(map("org_id", ORG, "ratio", 2)).get("ratio")).isEqualTo(2.0);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "ratio", 1.25f)).get("ratio")).isEqualTo(1.25);
        }

        @Test
        void uppercaseUuidIsNormalisedToLowercase() {
            Params params = SCHEMA.resolve(map("org_id", ORG.toUpperCase()));
            assertThat(params.get("org_id")).isEqualTo(ORG);
        }

        @Test
        void javaUuidIsAccepted() {
            Params params = SCHEMA.resolve(map("org_id", UUID.fromString(ORG)));
            assertThat(params.get("org_id")).isEqualTo(ORG);
        }

        @Test
        void valueInOneOfIsAccepted() {
            assertThat(SCHEMA.resolve(map("org_id", ORG, "role", "member")).get("role")).isEqualTo("member");
        }

        @Test
        void unknownKeysAreDroppedWhenNotStrict() {
            Params params = SCHEMA.resolve(map("org_id", ORG, "extra", 1, "other", "x"));
            assertThat(params.asMap()).containsOnlyKeys("org_id", "limit");
            assertThat(SCHEMA.resolve(map("org_id", ORG, "extra", 1), false)).isEqualTo(params);
        }

        @Test
        void strictAcceptsKnownKeys() {
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", 3), true).get("limit")).isEqualTo(3L);
        }

        @Test
        void jsonInputsAreAcceptedLikeJavaValues() {
            JsonObject json = json("{\"org_id\":\"" + ORG.toUpperCase() + "\",\"limit\":20,\"role\":\"admin\","
                    + "\"active\":true,\"ratio\":0.5,\"q\":\"x\",\"unknown\":[1]}");
            Params fromJava = SCHEMA.resolve(map("org_id", ORG, "limit", 20L, "role", "admin",
                    "active", true, "ratio", 0.5, "q", "x"));
            assertThat(SCHEMA.resolve(json)).isEqualTo(fromJava);
        }

        @Test
        void individualJsonValuesAreAccepted() {
            Params params = SCHEMA.resolve(map(
                    "org_id", Json.createValue(ORG),
                    "limit", Json.createValue(7),
                    "active", JsonValue.TRUE,
                    "ratio", Json.createValue(new BigDecimal("1.5")),
                    "q", Json.createValue("text")));
            assertThat(params.asMap()).containsExactly(
                    Map.entry("active", true),
                    Map.entry("limit", 7L),
                    Map.entry("org_id", ORG),
                    Map.entry("q", "text"),
                    Map.entry("ratio", 1.5));
            assertThat(SCHEMA.resolve(map("org_id", ORG, "active", JsonValue.FALSE)).get("active")).isEqualTo(false);
            assertThat(SCHEMA.resolve(map("org_id", ORG, "limit", Json.createValue(2.0))).get("limit")).isEqualTo(2L);
        }

        @Test
        void emptySchemaResolvesToEmptyParams() {
            assertThat(ParamSchema.empty().resolve(map("a", 1))).isEqualTo(Params.empty());
            assertThat(ParamSchema.of(Map.of())).isSameAs(ParamSchema.empty());
        }

        @Test
        void schemaKeepsDeclarationOrder() {
            assertThat(SCHEMA.params().keySet()).containsExactly("org_id", "limit", "role", "active", "ratio", "q");
        }
    }

    @Nested
    class Rejecting {

        @Test
        void missingRequiredParam() {
            assertInvalid(() -> SCHEMA.resolve(map("limit", 5)), "org_id", "param 'org_id' is required");
        }

        @Test
        void jsonNullForRequiredParamIsMissing() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", JsonValue.NULL)), "org_id", "param 'org_id' is required");
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":null}")), "org_id", "param 'org_id' is required");
        }

        @Test
        void stringForInt() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "limit", "20")),
                    "limit", "param 'limit' must be an int, got string \"20\"");
        }

        @Test
        void boolForInt() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "limit", true)),
                    "limit", "param 'limit' must be an int, got bool");
        }

        @Test
        void jsonArrayForInt() {
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"limit\":[1]}")),
                    "limit", "param 'limit' must be an int, got array");
        }

        @Test
        void numberForBool() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "active", 1)),
                    "active", "param 'active' must be a bool, got number");
        }

        @Test
        void stringForBool() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "active", "true")),
                    "active", "param 'active' must be a bool, got string \"true\"");
        }

        @Test
        void numberForString() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "q", 5)),
                    "q", "param 'q' must be a string, got number");
        }

        @Test
        void jsonObjectForString() {
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"q\":{}}")),
                    "q", "param 'q' must be a string, got object");
        }

        @Test
        void stringForFloat() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "ratio", "0.5")),
                    "ratio", "param 'ratio' must be a float, got string \"0.5\"");
        }

        @Test
        void numberForUuid() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", 42)), "org_id", "param 'org_id' must be a UUID, got number");
        }

        @Test
        void nonIntegralNumberForInt() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "limit", 1.7)),
                    "limit", "param 'limit' must be an integral number, got 1.7");
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"limit\":1.7}")),
                    "limit", "param 'limit' must be an integral number, got 1.7");
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "limit", new BigDecimal("2.50"))),
                    "limit", "param 'limit' must be an integral number, got 2.50");
        }

        @Test
        void tinyNonIntegralNumberIsReportedWithoutExpandingIt() {
            // 1e-999999999 written out in plain notation would be a billion characters
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"limit\":1e-999999999}")),
                    "limit", "param 'limit' must be an integral number, got 1E-999999999");
        }

        @Test
        void intOutOfRange() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "limit", new BigInteger("9223372036854775808"))),
                    "limit", "param 'limit' is out of range for an int");
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"limit\":1e999999999}")),
                    "limit", "param 'limit' is out of range for an int");
        }

        @Test
        void floatOutOfRange() {
            assertInvalid(() -> SCHEMA.resolve(json("{\"org_id\":\"" + ORG + "\",\"ratio\":1e400}")),
                    "ratio", "param 'ratio' is out of range for a float");
        }

        @Test
        void nanIsNotAFloat() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "ratio", Double.NaN)),
                    "ratio", "param 'ratio' must be a float, got number");
        }

        @Test
        void badUuid() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", "not-a-uuid")),
                    "org_id", "param 'org_id' must be a UUID, got \"not-a-uuid\"");
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG.replace("-", ""))),
                    "org_id", "param 'org_id' must be a UUID, got \"550e8400e29b41d4a716446655440000\"");
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG + "0")),
                    "org_id", "param 'org_id' must be a UUID, got \"" + ORG + "0\"");
        }

        @Test
        void longBadValuesAreShortenedInTheMessage() {
            String longText = "x".repeat(100);
            assertInvalid(() -> SCHEMA.resolve(map("org_id", longText)),
                    "org_id", "param 'org_id' must be a UUID, got \"" + "x".repeat(64) + "…\"");
        }

        @Test
        void valueNotInOneOf() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "role", "owner")),
                    "role", "param 'role' must be one of [admin, member], got \"owner\"");
        }

        @Test
        void oneOfIsCaseSensitive() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "role", "Admin")),
                    "role", "param 'role' must be one of [admin, member], got \"Admin\"");
        }

        @Test
        void unknownKeyWhenStrict() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "extra", 1), true),
                    "extra", "unknown param 'extra'");
        }

        @Test
        void strictReportsTheFirstUnknownKeyInSortedOrder() {
            assertInvalid(() -> SCHEMA.resolve(map("org_id", ORG, "zeta", 1, "alpha", 2), true),
                    "alpha", "unknown param 'alpha'");
        }

        @Test
        void declaredParamsAreCheckedBeforeUnknownKeys() {
            assertInvalid(() -> SCHEMA.resolve(map("extra", 1), true), "org_id", "param 'org_id' is required");
        }

        @Test
        void firstOffenderInDeclarationOrderIsReported() {
            assertInvalid(() -> SCHEMA.resolve(map("q", 1, "active", 1, "org_id", ORG)),
                    "active", "param 'active' must be a bool, got number");
        }
    }

    @Nested
    class Ranges {
        private final ParamSchema ranged = ParamSchema.of(specs(
                "limit", Param.integer().defaultValue(50).min(1).max(500),
                "offset", Param.integer().min(0),
                "title", Param.string().maxLength(5)));

        @Test
        void valuesAtTheBoundsAreAccepted() {
            assertThat(ranged.resolve(map("limit", 1, "offset", 0, "title", "abcde")).asMap())
                    .containsEntry("limit", 1L).containsEntry("offset", 0L).containsEntry("title", "abcde");
            assertThat(ranged.resolve(json("{\"limit\":500}")).asMap()).containsEntry("limit", 500L);
        }

        @Test
        void belowMinIsInvalidNamingTheParam() {
            assertInvalid(() -> ranged.resolve(json("{\"limit\":-1}")),
                    "limit", "param 'limit' must be at least 1, got -1");
            assertInvalid(() -> ranged.resolve(map("offset", -5)),
                    "offset", "param 'offset' must be at least 0, got -5");
        }

        @Test
        void aboveMaxIsInvalidNamingTheParam() {
            assertInvalid(() -> ranged.resolve(json("{\"limit\":501}")),
                    "limit", "param 'limit' must be at most 500, got 501");
            assertInvalid(() -> ranged.resolve(json("{\"limit\":9223372036854775807}")),
                    "limit", "param 'limit' must be at most 500, got 9223372036854775807");
        }

        @Test
        void integralFloatingValuesAreCheckedAfterCoercion() {
            assertInvalid(() -> ranged.resolve(json("{\"limit\":0.0}")),
                    "limit", "param 'limit' must be at least 1, got 0");
        }

        @Test
        void tooLongStringIsInvalidCountingCodePoints() {
            assertThat(ranged.resolve(map("title", "\uD83D\uDE00".repeat(5))).asMap()).containsKey("title");
            assertInvalid(() -> ranged.resolve(map("title", "abcdef")),
                    "title", "param 'title' must be at most 5 characters long, got 6");
        }

        @Test
        void specsReportRangesOnTheWrongTypeAndEmptyRanges() {
            assertThat(Param.string().min(1).problems("q"))
                    .containsExactly("param 'q': min and max are only allowed on int params");
            assertThat(Param.integer().min(10).max(1).problems("limit"))
                    .containsExactly("param 'limit': min 10 is greater than max 1");
            assertThat(Param.integer().maxLength(3).problems("limit"))
                    .containsExactly("param 'limit': maxLength is only allowed on string params");
            assertThat(Param.string().maxLength(0).problems("q"))
                    .containsExactly("param 'q': maxLength must be at least 1, got 0");
        }

        @Test
        void aDefaultOutsideTheRangeIsASpecProblem() {
            assertThat(Param.integer().defaultValue(0).min(1).problems("limit"))
                    .containsExactly("default of param 'limit' must be at least 1, got 0");
            assertThat(Param.integer().defaultValue(50).min(1).max(500).problems("limit")).isEmpty();
        }

        @Test
        void theOldConstructorHasNoLimits() {
            Param plain = new Param(ParamType.INT, false, null, null);
            assertThat(plain.min()).isNull();
            assertThat(plain.max()).isNull();
            assertThat(plain.maxLength()).isNull();
        }
    }

    @Nested
    class TypedGetters {

        private final Params params = SCHEMA.resolve(map("org_id", ORG.toUpperCase(), "limit", 20,
                "role", "admin", "active", true, "ratio", 0.25, "q", "text"));

        @Test
        void uuidReturnsAJavaUuid() {
            assertThat(params.uuid("org_id")).isEqualTo(UUID.fromString(ORG));
        }

        @Test
        void numberGetters() {
            assertThat(params.intValue("limit")).isEqualTo(20);
            assertThat(params.longValue("limit")).isEqualTo(20L);
            assertThat(params.floatValue("ratio")).isEqualTo(0.25);
        }

        @Test
        void boolAndStringGetters() {
            assertThat(params.bool("active")).isTrue();
            assertThat(params.string("role")).isEqualTo("admin");
            assertThat(params.string("q")).isEqualTo("text");
        }

        @Test
        void hasTellsPresentFromAbsent() {
            assertThat(params.has("limit")).isTrue();
            assertThat(params.has("nope")).isFalse();
            assertThat(SCHEMA.resolve(map("org_id", ORG)).has("active")).isFalse();
        }

        @Test
        void absentObjectGettersReturnNull() {
            Params minimal = SCHEMA.resolve(map("org_id", ORG));
            assertThat(minimal.string("q")).isNull();
            assertThat(minimal.uuid("nope")).isNull();
        }

        @Test
        void absentPrimitiveGettersThrow() {
            Params minimal = SCHEMA.resolve(map("org_id", ORG));
            assertThatThrownBy(() -> minimal.bool("active"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'active' has no value (check has() first)");
            assertThatThrownBy(() -> minimal.floatValue("ratio"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'ratio' has no value (check has() first)");
            assertThatThrownBy(() -> minimal.longValue("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'nope' has no value (check has() first)");
            assertThatThrownBy(() -> minimal.intValue("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'nope' has no value (check has() first)");
        }

        @Test
        void getterOfTheWrongTypeThrows() {
            assertThatThrownBy(() -> params.bool("limit"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'limit' is not of type bool");
            assertThatThrownBy(() -> params.longValue("role"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'role' is not of type int");
            assertThatThrownBy(() -> params.floatValue("q"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'q' is not of type float");
        }

        @Test
        void paramsAreEqualByValueAndImmutable() {
            Params same = SCHEMA.resolve(map("org_id", ORG, "limit", 20L, "role", "admin", "active", true,
                    "ratio", 0.25, "q", "text"));
            assertThat(params).isEqualTo(same).hasSameHashCodeAs(same);
            assertThatThrownBy(() -> params.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    // --- helpers ---

    private static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
                                      String param, String message) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(call)
                .isInstanceOf(InvalidParamsException.class)
                .hasMessage(message);
        thrown.satisfies(e -> {
            InvalidParamsException invalid = (InvalidParamsException) e;
            assertThat(invalid.code()).isEqualTo(ErrorCode.INVALID_PARAMS);
            assertThat(invalid.param()).isEqualTo(param);
        });
    }

    /** A mutable map that also takes null values. */
    private static Map<String, Object> map(Object... namesAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Param> specs(Object... namesAndSpecs) {
        Map<String, Param> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndSpecs.length; i += 2) {
            map.put((String) namesAndSpecs[i], (Param) namesAndSpecs[i + 1]);
        }
        return map;
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
