package dev.arcana.engine;

import dev.arcana.api.spi.Push;
import dev.arcana.api.spi.PushType;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;
import java.util.OptionalLong;

/** Builds the push messages of PROTOCOL.md. */
final class Pushes {
    private static final JsonProvider JSON = JsonSupport.provider();

    private Pushes() {
    }

    static Push rowPatch(RowStore.RowPatch change) {
        return new Push(PushType.TABLE_DIFF, JSON.createObjectBuilder()
                .add("table", change.table())
                .add("id", change.id())
                .add("ver", change.version())
                .add("patch", change.patch())
                .build());
    }

    static Push rowDeleted(String table, String id, long version) {
        return new Push(PushType.TABLE_DIFF, JSON.createObjectBuilder()
                .add("table", table)
                .add("id", id)
                .add("ver", version)
                .add("deleted", true)
                .build());
    }

    static Push viewDiff(String view, String paramsHash, long version, JsonArray refsPatch, JsonObject tables,
                         OptionalLong total) {
        JsonObjectBuilder data = JSON.createObjectBuilder()
                .add("view", view)
                .add("params_hash", paramsHash)
                .add("version", version)
                .add("refs_patch", refsPatch)
                .add("tables", tables);
        total.ifPresent(t -> data.add("total", t));
        return new Push(PushType.VIEW_DIFF, data.build());
    }
}
