package dev.arcana.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.util.OptionalLong;

/**
 * A subscription's full state: its refs, every row they reference ({@code table -> id -> row})
 * and the total when the factory set one.
 */
public record Snapshot(String view, String paramsHash, long version, String seanceId,
                       JsonArray refs, JsonObject tables, OptionalLong total) {
}
