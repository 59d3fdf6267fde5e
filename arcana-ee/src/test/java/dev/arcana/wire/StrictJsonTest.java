package dev.arcana.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class StrictJsonTest {

    private static void refused(String text, String message) {
        assertThatThrownBy(() -> WireRequests.parseObject(text))
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(e.getMessage()).isEqualTo(message);
                });
    }

    private static String nested(int depth) {
        return "{\"a\":" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
    }

    @Test
    void readsAnOrdinaryRequestWithNestedParams() {
        JsonObject body = WireRequests.parseObject(
                " {\"view\":\"task_list\",\"params\":{\"limit\":7,\"tags\":[\"a\",{\"b\":null}],\"x\":1.5e3,\"t\":true}} ");

        assertThat(body.getString("view")).isEqualTo("task_list");
        assertThat(body.getJsonObject("params").toString())
                .isEqualTo("{\"limit\":7,\"tags\":[\"a\",{\"b\":null}],\"x\":1.5E+3,\"t\":true}");
    }

    @Test
    void acceptsNestingUpToTheLimit() {
        assertThat(WireRequests.parseObject(nested(StrictJson.MAX_DEPTH))).containsKey("a");
    }

    @Test
    void refusesNestingBeyondTheLimit() {
        refused(nested(StrictJson.MAX_DEPTH + 1), "request body nests deeper than 64 levels");
    }

    @Test
    void refusesTenThousandLevelsWithoutOverflowingTheStack() {
        refused("[".repeat(10_000) + "]".repeat(10_000), "request body nests deeper than 64 levels");
        refused("{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000), "request body nests deeper than 64 levels");
    }

    @Test
    void refusesTrailingGarbage() {
        refused("{\"view\":\"a\"} garbage", "request body has data after the JSON value");
    }

    @Test
    void refusesASecondValue() {
        refused("{\"view\":\"a\"}{\"view\":\"b\"}", "request body has data after the JSON value");
        refused("{\"view\":\"a\"} 1", "request body has data after the JSON value");
    }

    @Test
    void acceptsTrailingWhitespace() {
        assertThat(WireRequests.parseObject("{\"view\":\"a\"}\n\t \r\n").getString("view")).isEqualTo("a");
    }

    @Test
    void refusesDuplicateKeysAtTheTop() {
        refused("{\"view\":\"a\",\"view\":\"b\"}", "request body has the key 'view' twice");
    }

    @Test
    void refusesDuplicateKeysInNestedObjects() {
        refused("{\"params\":{\"limit\":1,\"limit\":2}}", "request body has the key 'limit' twice");
    }

    @Test
    void allowsTheSameKeyInSiblingObjects() {
        JsonObject body = WireRequests.parseObject("{\"views\":[{\"view\":\"a\"},{\"view\":\"b\"}]}");
        assertThat(body.getJsonArray("views")).hasSize(2);
    }

    @Test
    void abbreviatesALongDuplicateKey() {
        String key = "k".repeat(100);
        refused("{\"" + key + "\":1,\"" + key + "\":2}", "request body has the key '" + "k".repeat(64) + "…' twice");
    }

    @Test
    void refusesMalformedJson() {
        refused("{\"view\":", "request body is not valid JSON");
        refused("{\"view\" \"a\"}", "request body is not valid JSON");
        refused("[1,]", "request body is not valid JSON");
    }

    @Test
    void anExponentBeyondBigDecimalIsABadRequest() {
        refused("{\"n\":1e9999999999}", "request body has a number out of range");
        refused("{\"n\":[-1E+2147483648]}", "request body has a number out of range");
        refused("{\"n\":" + "9".repeat(5_000) + "}", "request body has a number out of range");
    }

    @Test
    void longAndTinyNumbersAreRead() {
        JsonObject body = WireRequests.parseObject("{\"big\":" + "9".repeat(1_000) + ",\"tiny\":1e-999999,\"int\":7}");
        assertThat(body.getJsonNumber("big").bigDecimalValue().precision()).isEqualTo(1_000);
        assertThat(body.getJsonNumber("tiny").bigDecimalValue().scale()).isEqualTo(999_999);
        assertThat(body.getJsonNumber("int").isIntegral()).isTrue();
        assertThat(body.toString()).endsWith(",\"int\":7}");
    }

    @Test
    void refusesAnythingButAnObject() {
        refused("[1]", "request body must be a JSON object");
        refused("\"text\"", "request body must be a JSON object");
    }

    @Test
    void refusesAnEmptyBody() {
        refused("  ", "request body is empty");
    }

    @Test
    void namesWhatItReadsInMessages() {
        assertThatThrownBy(() -> StrictJson.parse("{} x", "frame")).hasMessage("frame has data after the JSON value");
    }
}
