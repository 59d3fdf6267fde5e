package dev.arcana.api.spi;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Frame text rendered through the thread's buffer is the JSON that {@code toString()} gives. */
class JsonTextTest {

    private static JsonObject sample(int rows) {
        var tables = Json.createArrayBuilder();
        IntStream.range(0, rows).forEach(i -> tables.add(Json.createObjectBuilder()
                .add("id", "t" + i).add("title", "quote \" backslash \\ newline \n é ✓ " + i)
                .add("done", i % 2 == 0).add("rank", i * 1.5).addNull("due")));
        return Json.createObjectBuilder().add("type", "sync_result").add("reply_to", 7).add("rows", tables).build();
    }

    @Test
    void rendersWhatToStringRendersAndParsesBack() {
        JsonObject value = sample(3);
        String text = JsonText.render(value);

        assertThat(text).isEqualTo(value.toString());
        assertThat(Json.createReader(new java.io.StringReader(text)).readObject()).isEqualTo(value);
    }

    @Test
    void writesThePrefixAndSuffixAroundTheValue() {
        JsonObject data = sample(1);

        assertThat(JsonText.render("{\"type\":\"x\",\"data\":", data, "}"))
                .isEqualTo(Json.createObjectBuilder().add("type", "x").add("data", data).build().toString());
    }

    @Test
    void aFrameAfterOneLargerThanTheKeptBufferIsWhole() {
        JsonObject large = sample(5_000);
        String big = JsonText.render(large);
        String small = JsonText.render(sample(2));

        assertThat(big.length()).isGreaterThan(JsonText.MAX_KEPT_CHARS);
        assertThat(big).isEqualTo(large.toString());
        assertThat(small).isEqualTo(sample(2).toString());
    }
}
