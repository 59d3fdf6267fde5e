package dev.arcana.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * {@link OutboundQueue.Sink} over a WebSocket session. Text goes through
 * {@code getAsyncRemote().sendText(text, handler)}; pings and closes, which the API only offers
 * as calls that may wait on the network, run on the (managed) executor so that neither the
 * publisher nor the sweep ever waits for a slow client.
 */
final class SessionSink implements OutboundQueue.Sink {
    private static final System.Logger LOG = System.getLogger(SessionSink.class.getName());
    /**
     * The context class loader during a send: one that finds no resources. Payara's Tyrus restarts the session's idle
     * timer on every message by scheduling a task on a managed executor, whose context capture runs a
     * {@code ServiceLoader} over the thread's context class loader, i.e. through every jar of the application: half
     * of Payara's CPU at 500 commits/s (BENCHMARKS.md, fourth part). Nothing in a send needs the application's loader.
     */
    private static final ClassLoader NO_RESOURCES = new ClassLoader(null) {
    };

    private final Session session;
    private final Executor executor;

    SessionSink(Session session, Executor executor) {
        this.session = session;
        this.executor = executor;
    }

    @Override
    public void sendText(String text, Consumer<Throwable> completion) {
        withoutApplicationResources(() -> session.getAsyncRemote().sendText(text,
                result -> completion.accept(failure(result))));
    }

    @Override
    public void sendPing(Consumer<Throwable> completion) {
        try {
            executor.execute(() -> withoutApplicationResources(() -> {
                try {
                    session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
                    completion.accept(null);
                } catch (IOException | RuntimeException e) {
                    completion.accept(e);
                }
            }));
        } catch (RejectedExecutionException e) {
            completion.accept(e);
        }
    }

    @Override
    public void close(int code, String reason) {
        Runnable close = () -> closeNow(code, reason);
        try {
            executor.execute(close);
        } catch (RejectedExecutionException e) {
            close.run(); // shutting down: the server closes its sockets anyway
        }
    }

    @Override
    public void closeNow(int code, String reason) {
        if (!session.isOpen()) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: session {0} is already closed", session.getId());
            return;
        }
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: closing session " + session.getId() + " failed", e);
        }
    }

    /** Runs a send with {@link #NO_RESOURCES} as the thread's context class loader, then gives the thread its own back. */
    private static void withoutApplicationResources(Runnable send) {
        Thread thread = Thread.currentThread();
        ClassLoader application = thread.getContextClassLoader();
        thread.setContextClassLoader(NO_RESOURCES);
        try {
            send.run();
        } finally {
            thread.setContextClassLoader(application);
        }
    }

    private static Throwable failure(SendResult result) {
        if (result.isOK()) {
            return null;
        }
        return result.getException() != null ? result.getException() : new IOException("send failed");
    }
}
