package dev.arcana.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.OptionalLong;

/**
 * The answer for one view of a sync request.
 * <ul>
 * <li>{@link Mode#CATCH_UP}: {@code patches} (each {@code {version, refs_patch, total?}}) to
 * apply in order, then {@code tables}: the current data of every referenced row.</li>
 * <li>{@link Mode#SNAPSHOT}: {@code refs}, {@code tables} and {@code total} replace the
 * client's state.</li>
 * <li>{@link Mode#ERROR}: this view could not be synced ({@code error}); the others still are.</li>
 * </ul>
 */
public record SyncEntry(String view, String paramsHash, Mode mode, long version,
                        JsonArray patches, JsonArray refs, JsonObject tables, OptionalLong total,
                        ArcanaException error) {

    public enum Mode {
        CATCH_UP("catch_up"), SNAPSHOT("snapshot"), ERROR("error");

        private final String wireName;

        Mode(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    public static SyncEntry catchUp(String view, String paramsHash, long version, JsonArray patches,
                                    JsonObject tables, OptionalLong total) {
        return new SyncEntry(view, paramsHash, Mode.CATCH_UP, version, patches, null, tables, total, null);
    }

    public static SyncEntry snapshot(Snapshot snapshot) {
        return new SyncEntry(snapshot.view(), snapshot.paramsHash(), Mode.SNAPSHOT, snapshot.version(), null,
                snapshot.refs(), snapshot.tables(), snapshot.total(), null);
    }

    public static SyncEntry error(String view, String paramsHash, ArcanaException error) {
        return new SyncEntry(view, paramsHash, Mode.ERROR, 0, null, null, null, OptionalLong.empty(), error);
    }
}
