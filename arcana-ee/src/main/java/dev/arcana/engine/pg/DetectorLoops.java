package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ThreadFactory;

/**
 * What the detectors' reconnect loops share: their one daemon thread, backoff sleeps, one-line error
 * text, quiet closing.
 */
final class DetectorLoops {
    /** Failed connection attempts in a row after which health reports {@code down} instead of {@code connecting}. */
    static final int ATTEMPTS_BEFORE_DOWN = 3;

    private DetectorLoops() {
    }

    /** The health state of a detector: receiving changes, still trying, or given up on for now (or stopped). */
    static String state(boolean receiving, boolean running, int failedAttempts) {
        if (receiving) {
            return "up";
        }
        return !running || failedAttempts >= ATTEMPTS_BEFORE_DOWN ? "down" : "connecting";
    }

    /** Starts a detector's one long-lived thread (from the container's managed factory in EE). */
    static Thread startDaemon(ThreadFactory threads, String name, Runnable loop) {
        Thread thread = threads.newThread(loop);
        thread.setName(name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits up to {@code millis} for a detector's thread to end; keeps the caller's interrupt. */
    static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps the backoff delay; false when interrupted (the detector is stopping). */
    static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The exception's class and first message line, for logs and health details. */
    static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing a broken connection: nothing left to release
            }
        }
    }
}
