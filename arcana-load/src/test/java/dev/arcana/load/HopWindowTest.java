package dev.arcana.load;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HopWindowTest {

    private static JsonObject hops(String json) {
        return Json.createReader(new StringReader(json.replace('\'', '"'))).readObject();
    }

    @Test
    void aScenarioSeesOnlyWhatWasRecordedSinceItStarted() {
        // before: 100 slow runs (~40 ms) of an earlier scenario; after: the same plus 10 fast ones (~1 ms)
        JsonObject before = hops("{'run':{'count':100,'buckets_us':[[40960.0,100]]}}");
        JsonObject after = hops("{'run':{'count':110,'buckets_us':[[1024.0,9],[1280.0,1],[40960.0,100]]},"
                + "'written':{'count':3,'buckets_us':[[512.0,3]]}}");

        Map<String, HopWindow.Hop> window = HopWindow.between(before, after);

        assertThat(window.keySet()).containsExactly("run", "written");
        assertThat(window.get("run")).isEqualTo(new HopWindow.Hop(10, 1.024, 1.28));
        assertThat(window.get("written")).as("a hop absent before counts from zero")
                .isEqualTo(new HopWindow.Hop(3, 0.512, 0.512));
    }

    @Test
    void withoutABeforeEverythingCountsAndWithoutAnAfterThereIsNothing() {
        JsonObject after = hops("{'total':{'count':4,'buckets_us':[[256.0,2],[2048.0,2]]}}");
        assertThat(HopWindow.between(null, after).get("total")).isEqualTo(new HopWindow.Hop(4, 0.256, 2.048));
        assertThat(HopWindow.between(after, null)).isNull();
    }
}
