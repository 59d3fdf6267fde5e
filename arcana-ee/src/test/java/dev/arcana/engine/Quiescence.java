package dev.arcana.engine;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waits, with a deadline, until the engine has handled every change it was given. */
final class Quiescence {
    private Quiescence() {
    }

    static void await(ArcanaEngine engine, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // Two consecutive idle observations: a drain may hand changes over between the checks.
        int idleSeen = 0;
        while (idleSeen < 2) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("engine not quiescent after " + timeout + ": " + engine.stats());
            }
            idleSeen = engine.isQuiescent() ? idleSeen + 1 : 0;
            LockSupport.parkNanos(50_000);
        }
    }
}
