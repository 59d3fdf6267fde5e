package dev.arcana.api;

/** Types a graph parameter can have, with their names in {@code /schema}. */
public enum ParamType {
    UUID("uuid"), INT("int"), STRING("string"), BOOL("bool"), FLOAT("float");

    private final String wireName;

    ParamType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
