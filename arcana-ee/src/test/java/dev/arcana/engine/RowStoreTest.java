package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Rows written by overlapping runs of several instances keep the values of the run that started last. */
class RowStoreTest {
    private final RowStore store = new RowStore();
    private final RowKey owner = new RowKey("owners", "o3");

    private static JsonObject row(String name, int rank) {
        return Json.createObjectBuilder().add("id", "o3").add("name", name).add("rank", rank).build();
    }

    private static JsonObject named(String name) {
        return Json.createObjectBuilder().add("id", "o3").add("name", name).build();
    }

    @Test
    void aRunThatStartedEarlierDoesNotPutBackAValueALaterRunRefreshed() {
        store.upsert("owners", "o3", row("owner 3", 3), 1);
        // run 3 (the owners view) read the rename; run 2 (another view) read before it but finishes after
        RowStore.RowPatch refreshed = store.upsert("owners", "o3", named("owner 22"), 3);
        RowStore.RowPatch stale = store.upsert("owners", "o3", named("owner 3"), 2);

        assertThat(refreshed).isNotNull();
        assertThat(stale).as("nothing changes, nothing is pushed").isNull();
        assertThat(store.data(owner).getString("name")).isEqualTo("owner 22");
    }

    @Test
    void anEarlierRunStillWritesTheFieldsNoLaterRunWrote() {
        store.upsert("owners", "o3", named("owner 3"), 1);
        store.upsert("owners", "o3", named("owner 22"), 4);
        RowStore.RowPatch older = store.upsert("owners", "o3", row("owner 3", 7), 3);

        assertThat(older).isNotNull();
        assertThat(store.data(owner)).isEqualTo(row("owner 22", 7));
        // and a later run overwrites both
        store.upsert("owners", "o3", row("owner 9", 8), 5);
        assertThat(store.data(owner)).isEqualTo(row("owner 9", 8));
    }

    @Test
    void eachFieldKeepsTheStampOfTheLastRunThatWroteIt() {
        store.upsert("owners", "o3", row("owner 3", 3), 1);
        store.upsert("owners", "o3", named("owner 5"), 5); // only name carries stamp 5 now
        store.upsert("owners", "o3", row("owner 3", 30), 3); // rank and id still carry 1: rank is written
        assertThat(store.data(owner)).isEqualTo(row("owner 5", 30));

        store.upsert("owners", "o3", rank(2), 4); // rank's stamp is 3: written
        store.upsert("owners", "o3", rank(99), 2); // rank's stamp is 4: not written
        assertThat(store.data(owner)).isEqualTo(row("owner 5", 2));

        store.upsert("owners", "o3", row("owner 6", 6), 6); // every field carries 6
        assertThat(store.upsert("owners", "o3", named("owner 5"), 5)).isNull();
        assertThat(store.upsert("owners", "o3", rank(7), 5)).isNull();
        assertThat(store.data(owner)).isEqualTo(row("owner 6", 6));
    }

    private static JsonObject rank(int rank) {
        return Json.createObjectBuilder().add("id", "o3").add("rank", rank).build();
    }
}
