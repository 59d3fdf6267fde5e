package dev.arcana.centrifugo;

import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the n-th retry (0-based) waits a random 50-100 % of
 * {@code min(max, base * 2^n)}. The random half spreads the retries of many instances after a
 * shared outage; the fixed half keeps the growth.
 */
public final class Backoff {
    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;

    /** @param random values in [0, 1) */
    public Backoff(long baseMs, long maxMs, DoubleSupplier random) {
        if (baseMs < 1 || maxMs < baseMs) {
            throw new IllegalArgumentException("need 1 <= base <= max, got base " + baseMs + ", max " + maxMs);
        }
        this.baseMs = baseMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    public long delayMs(int retry) {
        // base * 2^retry, capped; the comparison avoids overflowing the shift
        long cap = retry < 62 && baseMs <= (maxMs >> retry) ? baseMs << retry : maxMs;
        long half = cap / 2;
        return cap - half + (long) (random.getAsDouble() * half);
    }
}
