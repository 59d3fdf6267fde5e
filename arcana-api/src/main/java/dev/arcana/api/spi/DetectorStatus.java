package dev.arcana.api.spi;

/**
 * A change detector's state for health checks.
 *
 * @param mode   {@code explicit}, {@code notify}, {@code wal}
 * @param state  {@code up}, {@code connecting}, {@code down}
 * @param lag    how far behind the detector is (bytes of WAL, queued changes), or -1 when unknown
 * @param detail a short human-readable detail, never a secret
 */
public record DetectorStatus(String mode, String state, long lag, String detail) {

    public boolean isUp() {
        return "up".equals(state);
    }
}
