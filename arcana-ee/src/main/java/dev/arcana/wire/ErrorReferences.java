package dev.arcana.wire;

import dev.arcana.api.ArcanaException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * References that tie a client's {@code internal} error to the logged cause: the client sees
 * {@code … (ref 1f3a9c…)}, the log holds the same reference next to the exception (SQL, stack).
 */
public final class ErrorReferences {

    private ErrorReferences() {
    }

    /** A fresh reference: 12 hex digits, unique enough to find one log entry. */
    public static String next() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    }

    /** The client's copy of an internal error: its safe message (or {@code internal error}) and the reference. */
    public static ArcanaException referenced(ArcanaException error, String reference) {
        String message = error.getMessage() == null ? "internal error" : error.getMessage();
        return new ArcanaException(error.code(), message + " (ref " + reference + ")");
    }
}
