package dev.arcana.api;

/** The kind of a row change. {@code TRUNCATE} concerns the whole table. */
public enum ChangeOp {
    INSERT, UPDATE, DELETE, TRUNCATE
}
