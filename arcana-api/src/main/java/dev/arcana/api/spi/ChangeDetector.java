package dev.arcana.api.spi;

/**
 * A source of committed row changes (explicit notify, LISTEN/NOTIFY triggers, WAL). Must never
 * lose a committed change: after any gap it calls {@link ChangeSink#invalidateAll(String)}.
 */
public interface ChangeDetector {

    void start(ChangeSink sink);

    void stop();

    DetectorStatus status();
}
