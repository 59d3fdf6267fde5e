package dev.arcana.engine.pg;

import java.sql.Connection;
import java.sql.SQLException;

/** What the detectors' reconnect loops share: backoff sleeps, one-line error text, quiet closing. */
final class DetectorLoops {

    private DetectorLoops() {
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
