package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
    private static final JsonArray PATCH = Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("op", "remove").add("path", "/0")).build();

    @Test
    void startsAtVersionOneWithNothingToCatchUp() {
        Subscription subscription = new Subscription("s", null, 3);
        assertThat(subscription.version()).isEqualTo(1);
        assertThat(subscription.patchesSince(1)).isEmpty();
    }

    @Test
    void catchUpReturnsMissedPatchesInOrder() {
        Subscription subscription = new Subscription("s", null, 3);
        subscription.advance(PATCH, OptionalLong.empty());
        subscription.advance(PATCH, OptionalLong.of(7));
        assertThat(subscription.patchesSince(1)).extracting(Subscription.PatchEntry::version).containsExactly(2L, 3L);
        assertThat(subscription.patchesSince(2)).extracting(Subscription.PatchEntry::total)
                .containsExactly(OptionalLong.of(7));
    }

    @Test
    void historyIsBoundedSoOldGapsNeedASnapshot() {
        Subscription subscription = new Subscription("s", null, 2);
        for (int i = 0; i < 5; i++) {
            subscription.advance(PATCH, OptionalLong.empty());
        }
        assertThat(subscription.version()).isEqualTo(6);
        assertThat(subscription.patchesSince(4)).hasSize(2);
        assertThat(subscription.patchesSince(3)).as("beyond the history").isNull();
        assertThat(subscription.patchesSince(7)).as("ahead of the server").isNull();
        assertThat(subscription.patchesSince(0)).as("no such version").isNull();
    }

    @Test
    void resetHistoryForgetsEverythingBeforeTheCurrentVersion() {
        Subscription subscription = new Subscription("s", null, 5);
        subscription.advance(PATCH, OptionalLong.empty());
        subscription.resetHistory();
        assertThat(subscription.patchesSince(1)).isNull();
        assertThat(subscription.patchesSince(2)).isEmpty();
    }
}
