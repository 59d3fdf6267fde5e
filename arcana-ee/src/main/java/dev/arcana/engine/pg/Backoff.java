package dev.arcana.engine.pg;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reconnect delays: exponential from {@code initial} up to {@code max}, each drawn uniformly from
 * [delay/2, delay] ("equal jitter") so that several app instances losing one database do not
 * reconnect in lockstep. Not thread-safe: one per reconnect loop.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;
    private int attempts;

    Backoff(Duration initial, Duration max) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max: " + initial + ", " + max);
        }
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
        this.nextMillis = initialMillis;
    }

    /** The delay before the next attempt; doubles the one after it. */
    long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        attempts++;
        long half = delay / 2;
        return half + ThreadLocalRandom.current().nextLong(delay - half + 1);
    }

    /** Failed attempts since the last success. */
    int attempts() {
        return attempts;
    }

    void reset() {
        nextMillis = initialMillis;
        attempts = 0;
    }
}
