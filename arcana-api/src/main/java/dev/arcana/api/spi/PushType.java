package dev.arcana.api.spi;

/** The kinds of server push, with their wire names. */
public enum PushType {
    TABLE_DIFF("table_diff"), VIEW_DIFF("view_diff"), RESYNC("resync"), DISCONNECT("disconnect");

    private final String wireName;

    PushType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
