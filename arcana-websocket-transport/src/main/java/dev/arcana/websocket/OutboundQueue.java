package dev.arcana.websocket;

import dev.arcana.engine.LatencyHistogram;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The outbound side of one connection: a bounded queue of text frames drained by chained
 * asynchronous sends, one in flight at a time (the WebSocket API forbids concurrent asynchronous
 * sends on one session).
 *
 * <p>Nothing here blocks the caller: {@link #offer} only queues, and the next send starts from the
 * completion of the previous one (on the {@code continuation} executor, never inside the
 * container's completion callback). Bounds:
 * <ul>
 * <li><b>overflow</b> — offering to a full queue sheds the connection: the queued messages are
 * dropped, a {@code resync} frame ({@link #RESYNC_SLOW_CONSUMER}) is sent after the send in flight
 * (if any) completes, then the connection is closed with 1013 (TRY_AGAIN_LATER);</li>
 * <li><b>stuck send</b> — {@link #checkDeadline} closes the connection with 1013 when one send has
 * been in flight longer than the send timeout, whatever state it is in.</li>
 * </ul>
 * Replies reserve their place with {@link #reserve()} when the request arrives, so that pushes
 * published while the request is being processed are sent after its reply; a reply that
 * {@link ReplySlot#followPushes() follows pushes} lets them pass and goes behind them instead.
 *
 * <p>Pushes are timed: from their hand-over to the transport to the completion of their send
 * ({@code written}), into the histogram given.
 *
 * <p>Thread-safe; the lock is never held while calling the sink or the shed listener.
 */
final class OutboundQueue {

    /** Close code 1013 (TRY_AGAIN_LATER): shed for not keeping up. */
    static final int TRY_AGAIN_LATER = 1013;
    /** Close code 1011 (UNEXPECTED_CONDITION): a send failed, the session is unusable. */
    static final int UNEXPECTED_CONDITION = 1011;
    /** What a shed client receives before the close: it must sync all its views. */
    static final String RESYNC_SLOW_CONSUMER = "{\"type\":\"resync\",\"data\":{\"reason\":\"slow_consumer\"}}";

    /** Where frames go: a WebSocket session in production, a fake in tests. */
    interface Sink {
        /** Sends asynchronously; {@code completion} receives null on success, the failure otherwise. */
        void sendText(String text, Consumer<Throwable> completion);

        /** Sends a WebSocket ping; {@code completion} as for {@link #sendText}. */
        void sendPing(Consumer<Throwable> completion);

        /** Closes the session; must not block the caller. */
        void close(int code, String reason);

        /** Closes the session in the calling thread (shutdown), waiting for the close frame to be written. */
        default void closeNow(int code, String reason) {
            close(code, reason);
        }
    }

    enum State {
        /** Accepting messages. */
        OPEN,
        /** Overflowed: only the resync frame is left to send, then the close. */
        SHEDDING,
        /** Closed (or closing): everything is dropped. */
        CLOSED
    }

    /** Why the queue shed its connection, for the listener. */
    enum ShedReason { OVERFLOW, SEND_TIMEOUT }

    private static final Object PING = new Object();

    /** A queued push and when it was handed to the transport ({@link System#nanoTime}). */
    private record Push(String text, long handedOverNanos) {
    }

    private final Sink sink;
    private final int limit;
    private final long sendTimeoutMs;
    private final LongSupplier clock;
    private final Executor continuation;
    private final Consumer<ShedReason> onShed;
    private final LatencyHistogram written;

    // guarded by this
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private State state = State.OPEN;
    private boolean inFlight;
    private long inFlightSince;
    /** The hand-over time of the push in flight; 0 when what is in flight is no push. */
    private long inFlightHandedOver;
    private boolean pumping;
    private boolean pingQueued;
    private int pendingReplies; // guarded by this

    /**
     * @param limit          messages that may wait (the one in flight not counted)
     * @param sendTimeoutMs  longest time one send may stay in flight
     * @param clock          monotonic milliseconds
     * @param continuation   where the next send starts after a completion
     * @param onShed         told once when this queue sheds its connection (overflow, stuck send)
     * @param written        receives, per push sent, the time from its hand-over to its completed send
     */
    OutboundQueue(Sink sink, int limit, long sendTimeoutMs, LongSupplier clock, Executor continuation,
                  Consumer<ShedReason> onShed, LatencyHistogram written) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.sink = sink;
        this.limit = limit;
        this.sendTimeoutMs = sendTimeoutMs;
        this.clock = clock;
        this.continuation = continuation;
        this.onShed = onShed;
        this.written = written;
    }

    /**
     * A place in the queue for a reply that is still being computed; sending stops at it until
     * filled, unless the reply was told to {@link #followPushes()}.
     */
    final class ReplySlot implements FrameDispatcher.ReplyPlace {
        private String text; // guarded by OutboundQueue.this
        private boolean followsPushes; // guarded by OutboundQueue.this

        /** Puts the reply in its place (behind the queue, when it follows pushes) and lets the queue move on. */
        void fill(String reply) {
            synchronized (OutboundQueue.this) {
                text = reply;
                if (followsPushes && state == State.OPEN) {
                    queue.add(this); // still counted in pendingReplies; a shed or closed queue forgot it
                }
            }
            pump();
        }

        /**
         * Gives up the place: pushes published until {@link #fill} go out at once, and the reply
         * goes behind them (a mutation's reply follows the pushes it caused without holding back
         * the others while its handler runs). Still counted as a reply in flight.
         */
        @Override
        public void followPushes() {
            synchronized (OutboundQueue.this) {
                followsPushes = queue.removeFirstOccurrence(this);
            }
            pump();
        }
    }

    /**
     * Queues a message; never blocks.
     *
     * @return false when it was not queued: the connection is closed, or was shed by this very call
     */
    boolean offer(String text) {
        return enqueue(text);
    }

    /**
     * Queues a push handed to the transport at {@code handedOverNanos} ({@link System#nanoTime});
     * its send is timed. Otherwise as {@link #offer}.
     */
    boolean offerPush(String text, long handedOverNanos) {
        return enqueue(new Push(text, handedOverNanos));
    }

    private boolean enqueue(Object message) {
        boolean shed;
        synchronized (this) {
            if (state != State.OPEN) {
                return false;
            }
            shed = queue.size() >= limit;
            if (shed) {
                startShedding();
            } else {
                queue.add(message);
            }
        }
        if (shed) {
            onShed.accept(ShedReason.OVERFLOW);
        }
        pump();
        return !shed;
    }

    /** Reply places reserved and not yet handed to the socket: the connection's requests in flight. */
    synchronized int pendingReplies() {
        return pendingReplies;
    }

    /** Reserves the place of a reply (counted against the limit like any message). */
    ReplySlot reserve() {
        ReplySlot slot = new ReplySlot();
        boolean shed = false;
        synchronized (this) {
            if (state != State.OPEN) {
                return slot; // filled into nowhere
            }
            if (queue.size() >= limit) {
                startShedding();
                shed = true;
            } else {
                queue.add(slot);
                pendingReplies++;
            }
        }
        if (shed) {
            onShed.accept(ShedReason.OVERFLOW);
            pump();
        }
        return slot;
    }

    /**
     * Queues a WebSocket ping unless one is already waiting. A ping takes its turn after the queued
     * messages, so its pong also tells that the client read them.
     */
    boolean offerPing() {
        synchronized (this) {
            if (state != State.OPEN || pingQueued) {
                return false;
            }
            pingQueued = true;
            queue.add(PING);
        }
        pump();
        return true;
    }

    /**
     * Closes the connection with 1013 when the send in flight started more than the send timeout
     * before {@code now}: a client that stops reading is not waited for indefinitely.
     *
     * @return true when this call closed the connection
     */
    boolean checkDeadline(long now) {
        boolean wasOpen;
        synchronized (this) {
            if (!inFlight || state == State.CLOSED || now - inFlightSince < sendTimeoutMs) {
                return false;
            }
            wasOpen = state == State.OPEN;
            closeLocked();
        }
        if (wasOpen) {
            onShed.accept(ShedReason.SEND_TIMEOUT);
        }
        sink.close(TRY_AGAIN_LATER, wasOpen ? "send timeout" : "slow consumer");
        return true;
    }

    /** Drops whatever is queued and closes the session with {@code code}; no-op when already closed. */
    boolean close(int code, String reason) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return false;
            }
            closeLocked();
        }
        sink.close(code, reason);
        return true;
    }

    /** The session is gone (closed by the peer or the container): drop everything, close nothing. */
    void discard() {
        synchronized (this) {
            closeLocked();
        }
    }

    synchronized State state() {
        return state;
    }

    /** Messages waiting (the one in flight not counted). */
    synchronized int size() {
        return queue.size();
    }

    synchronized boolean isSending() {
        return inFlight;
    }

    private void startShedding() {
        state = State.SHEDDING;
        pendingReplies = 0;
        queue.clear();
        pingQueued = false;
        queue.add(RESYNC_SLOW_CONSUMER);
    }

    private void closeLocked() {
        state = State.CLOSED;
        pendingReplies = 0;
        queue.clear();
        pingQueued = false;
        inFlight = false; // a late completion is ignored
    }

    /**
     * Starts sends until one is in flight or nothing is sendable. Re-entrant calls (a completion
     * that arrives inside {@code sendText}) return at once: the active loop picks their work up.
     */
    private void pump() {
        synchronized (this) {
            if (pumping) {
                return;
            }
            pumping = true;
        }
        boolean exited = false;
        try {
            while (true) {
                Object item;
                synchronized (this) {
                    Object head = queue.peek();
                    if (inFlight || state == State.CLOSED || head == null
                            || (head instanceof ReplySlot slot && slot.text == null)) {
                        pumping = false; // decided under the lock that also guards inFlight: no lost wake-up
                        exited = true;
                        return;
                    }
                    queue.poll();
                    if (head instanceof ReplySlot) {
                        pendingReplies--;
                    }
                    item = head instanceof ReplySlot slot ? slot.text : head;
                    if (item == PING) {
                        pingQueued = false;
                    }
                    inFlightHandedOver = 0;
                    if (item instanceof Push push) {
                        inFlightHandedOver = push.handedOverNanos();
                        item = push.text();
                    }
                    inFlight = true;
                    inFlightSince = clock.getAsLong();
                }
                send(item);
            }
        } finally {
            if (!exited) {
                synchronized (this) {
                    pumping = false;
                }
            }
        }
    }

    private void send(Object item) {
        try {
            if (item == PING) {
                sink.sendPing(this::completed);
            } else {
                sink.sendText((String) item, this::completed);
            }
        } catch (RuntimeException e) {
            completed(e); // e.g. IllegalStateException: the session is closed
        }
    }

    private void completed(Throwable failure) {
        int closeCode = 0;
        String closeReason = null;
        boolean more;
        long handedOver;
        synchronized (this) {
            if (!inFlight) {
                return; // closed meanwhile
            }
            inFlight = false;
            handedOver = failure == null ? inFlightHandedOver : 0;
            if (failure != null) {
                closeCode = state == State.SHEDDING ? TRY_AGAIN_LATER : UNEXPECTED_CONDITION;
                closeReason = state == State.SHEDDING ? "slow consumer" : "send failed";
                closeLocked();
            } else if (state == State.SHEDDING && queue.isEmpty()) {
                closeCode = TRY_AGAIN_LATER; // the resync went out
                closeReason = "slow consumer";
                closeLocked();
            }
            more = state != State.CLOSED && !queue.isEmpty() && !pumping;
        }
        if (handedOver != 0) {
            written.record(System.nanoTime() - handedOver);
        }
        if (closeCode != 0) {
            sink.close(closeCode, closeReason);
            return;
        }
        if (more) {
            try {
                continuation.execute(this::pump);
            } catch (RejectedExecutionException e) {
                pump(); // shutting down: finish inline rather than strand the queue
            }
        }
    }
}
