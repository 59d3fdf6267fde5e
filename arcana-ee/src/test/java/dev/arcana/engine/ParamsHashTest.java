package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Param;
import dev.arcana.api.ParamSchema;
import dev.arcana.api.Params;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ParamsHashTest {

    private static final String ORG = "550e8400-e29b-41d4-a716-446655440000";
    private static final String SHARED_VIEW_HASH = "74ac87fb062a90f8265d7b33165b030f69a591a289d56d1a210f9b1a1f9a35f6";
    private static final String USER_LIST_HASH = "4a854d5762ab2f24385a5812ee95bc7dbb6ddd09b0955207b0b4b9a95a78a883";
    private static final String G_HASH = "ce59f4e7e7de40111030d8d9f20431f52c1f86e53ae8fa4e279a578eed28ac65";

    private static final ParamSchema USER_LIST = ParamSchema.of(specs(
            "org_id", Param.uuid().required(),
            "limit", Param.integer().defaultValue(50)));

    // --- the protocol's vectors ---

    @Test
    void vectorWithoutParams() {
        assertThat(ParamsHash.of("shared_view", Map.of())).isEqualTo(SHARED_VIEW_HASH);
    }

    @Test
    void vectorWithUuidAndInt() {
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG, "limit", 20L))).isEqualTo(USER_LIST_HASH);
    }

    @Test
    void vectorWithHtmlCharactersFloatAndBool() {
        assertThat(ParamsHash.of("g", linked("q", "a<b&c", "f", 1.5, "b", true))).isEqualTo(G_HASH);
    }

    @Test
    void layoutIsKeyNulThenNameNulValueNulPerParamInKeyOrder() {
        byte[] input = bytes("g", 0, "b", 0, "true", 0, "f", 0, "1.5", 0, "q", 0, "\"a\\u003cb\\u0026c\"", 0);
        assertThat(sha256Hex(input)).isEqualTo(G_HASH);
        assertThat(sha256Hex(bytes("shared_view", 0))).isEqualTo(SHARED_VIEW_HASH);
    }

    @Test
    void nullParamsMapHashesLikeEmpty() {
        assertThat(ParamsHash.of("shared_view", null)).isEqualTo(SHARED_VIEW_HASH);
    }

    // --- properties ---

    @Test
    void insertionOrderOfTheMapDoesNotMatter() {
        Map<String, Object> forward = linked("b", true, "f", 1.5, "q", "a<b&c");
        Map<String, Object> backward = linked("q", "a<b&c", "f", 1.5, "b", true);
        Map<String, Object> hashed = new HashMap<>(backward);
        Map<String, Object> sorted = new TreeMap<>(backward);
        assertThat(List.of(ParamsHash.of("g", forward), ParamsHash.of("g", backward),
                ParamsHash.of("g", hashed), ParamsHash.of("g", sorted)))
                .containsOnly(G_HASH);
    }

    @Test
    void integerAndLongHashAlike() {
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG, "limit", 20))).isEqualTo(USER_LIST_HASH);
    }

    @Test
    void graphKeyValueAndTypeAllChangeTheHash() {
        String base = ParamsHash.of("user_list", linked("org_id", ORG, "limit", 20L));
        assertThat(ParamsHash.of("user_list2", linked("org_id", ORG, "limit", 20L))).isNotEqualTo(base);
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG, "limit", 21L))).isNotEqualTo(base);
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG, "limit", "20"))).isNotEqualTo(base);
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG, "limit", 20.5))).isNotEqualTo(base);
        assertThat(ParamsHash.of("user_list", linked("org_id", ORG))).isNotEqualTo(base);
    }

    @Test
    void separatorsKeepNamesAndValuesApart() {
        // without the 0x00 separators these two would hash the same input text
        assertThat(ParamsHash.of("g", linked("ab", "c")))
                .isNotEqualTo(ParamsHash.of("g", linked("a", "bc")));
        assertThat(ParamsHash.of("ga", Map.of())).isNotEqualTo(ParamsHash.of("g", linked("a", "x")));
    }

    @Test
    void escapedValuesAreHashedAsGoWritesThem() {
        Map<String, Object> params = linked("s", "x\"y\\z\n\u0001<>&\u2028é");
        byte[] input = bytes("g", 0, "s", 0, "\"x\\\"y\\\\z\\n\\u0001\\u003c\\u003e\\u0026\\u2028é\"", 0);
        assertThat(ParamsHash.of("g", params)).isEqualTo(sha256Hex(input));
    }

    @Test
    void floatsAreHashedAsGoWritesThem() {
        assertThat(ParamsHash.of("g", linked("f", 2.0))).isEqualTo(sha256Hex(bytes("g", 0, "f", 0, "2", 0)));
        assertThat(ParamsHash.of("g", linked("f", 1e21))).isEqualTo(sha256Hex(bytes("g", 0, "f", 0, "1e+21", 0)));
        assertThat(ParamsHash.of("g", linked("f", 1e-7))).isEqualTo(sha256Hex(bytes("g", 0, "f", 0, "1e-7", 0)));
        assertThat(ParamsHash.of("g", linked("f", -0.0))).isEqualTo(sha256Hex(bytes("g", 0, "f", 0, "-0", 0)));
        assertThat(ParamsHash.of("g", linked("f", 2.0))).isEqualTo(ParamsHash.of("g", linked("f", 2L)));
    }

    @Test
    void namesAreSortedByCodePointLikeGoSortsUtf8Bytes() {
        // U+FF21 sorts before U+1F600 in UTF-8 (and code points), after it in UTF-16 units
        String bmp = "\uFF21";
        String astral = "\uD83D\uDE00";
        byte[] input = bytes("g", 0, bmp, 0, "1", 0, astral, 0, "2", 0);
        assertThat(ParamsHash.of("g", linked(astral, 2L, bmp, 1L))).isEqualTo(sha256Hex(input));
        assertThat(ParamsHash.of("g", new TreeMap<>(linked(astral, 2L, bmp, 1L)))).isEqualTo(sha256Hex(input));
    }

    @Test
    void lowercaseHexOf32Bytes() {
        assertThat(ParamsHash.of("x", Map.of())).matches("[0-9a-f]{64}");
    }

    @Test
    void nullsAndUnsupportedValuesAreRejected() {
        Map<String, Object> withNull = new HashMap<>();
        withNull.put("a", null);
        assertThatThrownBy(() -> ParamsHash.of("g", withNull))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param 'a' is null; resolved params never hold null");
        assertThatThrownBy(() -> ParamsHash.of(null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("graph key is null");
        assertThatThrownBy(() -> ParamsHash.of("g", Map.of("a", List.of(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot encode a ");
        assertThatThrownBy(() -> ParamsHash.of("g", Map.of("a", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFailedCallDoesNotSpoilTheNextOne() {
        assertThatThrownBy(() -> ParamsHash.of("g", Map.of("a", Double.NaN)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ParamsHash.of("shared_view", Map.of())).isEqualTo(SHARED_VIEW_HASH);
    }

    @Test
    void longInputsHashCorrectly() {
        String big = "x".repeat(20_000);
        byte[] input = bytes("g", 0, "s", 0, "\"" + big + "\"", 0);
        assertThat(ParamsHash.of("g", linked("s", big))).isEqualTo(sha256Hex(input));
        assertThat(ParamsHash.of("shared_view", Map.of())).isEqualTo(SHARED_VIEW_HASH);
    }

    @Test
    void concurrentCallersGetTheSameHashes() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Callable<Boolean> task = () -> {
                for (int i = 0; i < 2_000; i++) {
                    if (!ParamsHash.of("g", linked("q", "a<b&c", "f", 1.5, "b", true)).equals(G_HASH)
                            || !ParamsHash.of("user_list", linked("limit", 20L, "org_id", ORG)).equals(USER_LIST_HASH)) {
                        return false;
                    }
                }
                return true;
            };
            List<Future<Boolean>> results = pool.invokeAll(List.of(task, task, task, task));
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // --- resolved by the API's schema ---

    @Test
    void paramsResolvedBySchemaHashLikeTheVector() {
        Params params = USER_LIST.resolve(Map.of("org_id", ORG, "limit", 20));
        assertThat(ParamsHash.of("user_list", params.asMap())).isEqualTo(USER_LIST_HASH);
    }

    @Test
    void uppercaseUuidNormalisesToTheSameHash() {
        Params params = USER_LIST.resolve(Map.of("org_id", ORG.toUpperCase(), "limit", 20));
        assertThat(ParamsHash.of("user_list", params.asMap())).isEqualTo(USER_LIST_HASH);
    }

    @Test
    void jsonInputResolvesToTheSameHash() {
        JsonObject body = Json.createReader(new java.io.StringReader(
                "{\"limit\":20.0,\"org_id\":\"" + ORG.toUpperCase() + "\",\"extra\":true}")).readObject();
        Params params = USER_LIST.resolve(body);
        assertThat(ParamsHash.of("user_list", params.asMap())).isEqualTo(USER_LIST_HASH);
    }

    @Test
    void defaultsAreHashed() {
        Params params = USER_LIST.resolve(Map.of("org_id", ORG));
        assertThat(ParamsHash.of("user_list", params.asMap()))
                .isEqualTo(ParamsHash.of("user_list", linked("org_id", ORG, "limit", 50L)))
                .isNotEqualTo(USER_LIST_HASH);
    }

    @Test
    void hashingIsFastForSmallParams() {
        Map<String, Object> params = linked("org_id", ORG, "limit", 20L, "f", 1.5, "q", "a<b&c");
        for (int i = 0; i < 20_000; i++) {
            ParamsHash.of("user_list", params);
        }
        int runs = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            ParamsHash.of("user_list", params);
        }
        double micros = (System.nanoTime() - start) / 1_000.0 / runs;
        // the target is 5 µs; the bound is loose so that a slow CI machine does not flake
        assertThat(micros).isLessThan(50.0);
    }

    // --- helpers ---

    private static Map<String, Object> linked(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }

    private static Map<String, Param> specs(String n1, Param v1, String n2, Param v2) {
        Map<String, Param> map = new LinkedHashMap<>();
        map.put(n1, v1);
        map.put(n2, v2);
        return map;
    }

    /** Strings as UTF-8, Integers as single bytes. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer b) {
                out.write(b);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String sha256Hex(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
