package dev.arcana.engine.diff;

import static dev.arcana.engine.diff.Refs.apply;
import static dev.arcana.engine.diff.Refs.array;
import static dev.arcana.engine.diff.Refs.numbered;
import static dev.arcana.engine.diff.Refs.ref;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Keeps the algorithm honest on a large view: patch size follows the change, not the view. */
class RefsDiffScaleTest {

    private static final int REFS = 10_000;

    @Test
    void onePercentChangeOfALargeViewGivesAPatchProportionalToTheChange() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            List<JsonObject> old = numbered(REFS);
            List<JsonObject> updated = new ArrayList<>(old);
            int changes = REFS / 100;
            for (int c = 0; c < changes; c++) {
                switch (c % 4) {
                    case 0 -> updated.add(random.nextInt(updated.size() + 1), ref("t", "new" + c, "id"));
                    case 1 -> updated.remove(random.nextInt(updated.size()));
                    case 2 -> updated.add(random.nextInt(updated.size()), updated.remove(random.nextInt(updated.size())));
                    default -> {
                        int at = random.nextInt(updated.size());
                        JsonObject r = updated.get(at);
                        updated.set(at, ref(r.getString("table"), r.getString("id"), "id", "name", "email"));
                    }
                }
            }

            JsonArray patch = RefsDiff.diff(old, updated);

            assertThat(apply(old, patch)).as("seed %d", seed).isEqualTo(array(updated));
            assertThat(patch.size()).as("seed %d", seed).isPositive().isLessThan(5 * changes);
        }
    }

    @Test
    void movingFirstToLastInALargeViewIsOneOp() {
        List<JsonObject> old = numbered(REFS);
        List<JsonObject> updated = new ArrayList<>(old);
        updated.add(updated.remove(0));

        JsonArray patch = RefsDiff.diff(old, updated);

        assertThat(patch).hasSize(1);
        assertThat(apply(old, patch)).isEqualTo(array(updated));
    }
}
