package dev.arcana.engine;

/** A row's identity within a workspace. */
public record RowKey(String table, String id) {
}
