package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.spi.Push;
import dev.arcana.engine.LatencyHistogram;
import dev.arcana.websocket.Fakes.FakeSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OutboundQueueTest {
    private static final String RESYNC = "{\"type\":\"resync\",\"data\":{\"reason\":\"slow_consumer\"}}";

    private final FakeSink sink = new FakeSink();
    private final AtomicLong clock = new AtomicLong();
    private final List<OutboundQueue.ShedReason> shed = new CopyOnWriteArrayList<>();
    private final LatencyHistogram written = new LatencyHistogram();

    private OutboundQueue queue(int limit) {
        return new OutboundQueue(sink, limit, 1_000, clock::get, Runnable::run, shed::add, written);
    }

    @Test
    void resyncFrameIsTheProtocolsResyncPush() {
        assertThat(OutboundQueue.RESYNC_SLOW_CONSUMER).isEqualTo(Push.resync("slow_consumer").json()).isEqualTo(RESYNC);
    }

    @Test
    void sendsInOrderWithOneSendInFlight() {
        OutboundQueue queue = queue(10);
        queue.offer("a");
        queue.offer("b");
        queue.offer("c");

        assertThat(sink.sent).containsExactly("a");
        assertThat(queue.size()).isEqualTo(2);
        sink.completeNext();
        assertThat(sink.sent).containsExactly("a", "b");
        sink.completeNext();
        sink.completeNext();
        assertThat(sink.sent).containsExactly("a", "b", "c");
        assertThat(sink.maxInFlight).isEqualTo(1);
        assertThat(queue.isSending()).isFalse();
        assertThat(sink.closes).isEmpty();
    }

    @Test
    void onlyPushesThatWereWrittenAreTimedFromTheirHandOver() {
        OutboundQueue queue = queue(10);
        long handedOver = System.nanoTime() - 5_000_000; // handed over 5 ms ago
        queue.offerPush("p1", handedOver);
        queue.offer("an error frame");
        queue.offerPing();
        queue.offerPush("p2", System.nanoTime());

        sink.completeNext(); // p1 written
        sink.completeNext();
        sink.completeNext();
        assertThat(written.count()).as("p1 only so far: frames that are not pushes are not timed").isEqualTo(1);
        assertThat(written.snapshot().percentileMillis(50)).isGreaterThanOrEqualTo(5.0);
        sink.failNext(); // p2 never reached the socket
        assertThat(written.count()).isEqualTo(1);
        assertThat(sink.sent).containsExactly("p1", "an error frame", "<ping>", "p2");
    }

    @Test
    void overflowDropsTheQueueSendsResyncAfterTheSendInFlightThenClosesWith1013() {
        OutboundQueue queue = queue(3);
        queue.offer("a"); // in flight
        assertThat(queue.offer("b")).isTrue();
        assertThat(queue.offer("c")).isTrue();
        assertThat(queue.offer("d")).isTrue();

        assertThat(queue.offer("e")).isFalse();

        assertThat(shed).containsExactly(OutboundQueue.ShedReason.OVERFLOW);
        assertThat(queue.state()).isEqualTo(OutboundQueue.State.SHEDDING);
        assertThat(queue.size()).isEqualTo(1); // only the resync is left
        assertThat(queue.offer("f")).isFalse();
        sink.completeNext(); // "a" done: the resync goes, not "b"
        assertThat(sink.sent).containsExactly("a", RESYNC);
        assertThat(sink.closes).isEmpty(); // not before the resync is written
        sink.completeNext();
        assertThat(sink.closes).containsExactly("1013 slow consumer");
        assertThat(queue.state()).isEqualTo(OutboundQueue.State.CLOSED);
        assertThat(queue.offer("g")).isFalse();
        assertThat(sink.sent).containsExactly("a", RESYNC);
        assertThat(shed).hasSize(1);
    }

    @Test
    void overflowWithNothingInFlightSendsResyncAtOnce() {
        OutboundQueue queue = queue(1);
        OutboundQueue.ReplySlot slot = queue.reserve(); // holds the queue: nothing is sent
        assertThat(queue.offer("push")).isFalse();

        assertThat(sink.sent).containsExactly(RESYNC);
        slot.fill("late reply"); // dropped with the rest
        sink.completeNext();
        assertThat(sink.sent).containsExactly(RESYNC);
        assertThat(sink.closes).containsExactly("1013 slow consumer");
    }

    @Test
    void aSendStuckPastTheDeadlineClosesWith1013WithoutWaitingForIt() {
        OutboundQueue queue = queue(100);
        clock.set(5_000);
        queue.offer("a"); // never completes
        queue.offer("b");

        assertThat(queue.checkDeadline(5_999)).isFalse();
        assertThat(sink.closes).isEmpty();
        assertThat(queue.checkDeadline(6_000)).isTrue();

        assertThat(sink.closes).containsExactly("1013 send timeout");
        assertThat(shed).containsExactly(OutboundQueue.ShedReason.SEND_TIMEOUT);
        assertThat(queue.state()).isEqualTo(OutboundQueue.State.CLOSED);
        assertThat(queue.size()).isZero();
        sink.completeNext(); // a late completion changes nothing
        assertThat(sink.sent).containsExactly("a");
        assertThat(queue.checkDeadline(99_999)).isFalse();
        assertThat(sink.closes).hasSize(1);
    }

    @Test
    void aStuckSendWhileSheddingIsClosedAtTheDeadlineWithoutResync() {
        OutboundQueue queue = queue(1);
        queue.offer("a"); // stuck
        queue.offer("b");
        queue.offer("c"); // overflow: resync waits for "a"

        clock.set(1_000);
        assertThat(queue.checkDeadline(clock.get())).isTrue();

        assertThat(sink.sent).containsExactly("a");
        assertThat(sink.closes).containsExactly("1013 slow consumer");
        assertThat(shed).containsExactly(OutboundQueue.ShedReason.OVERFLOW); // counted once
    }

    @Test
    void aClientThatNeverReadsHoldsAtMostTheLimit() {
        OutboundQueue queue = queue(50);
        int accepted = 0;
        for (int i = 0; i < 10_000; i++) {
            if (queue.offer("m" + i)) {
                accepted++;
            }
            assertThat(queue.size()).isLessThanOrEqualTo(50);
        }
        assertThat(accepted).isEqualTo(51); // one in flight + 50 queued, then shed
        assertThat(queue.size()).isEqualTo(1);
        assertThat(shed).hasSize(1);
    }

    @Test
    void aReplySlotKeepsLaterPushesBehindTheReply() {
        OutboundQueue queue = queue(10);
        queue.offer("push-1"); // in flight
        OutboundQueue.ReplySlot slot = queue.reserve();
        queue.offer("push-2"); // published while the request is processed

        sink.completeNext();
        assertThat(sink.sent).containsExactly("push-1"); // waits for the reply
        slot.fill("reply");
        assertThat(sink.sent).containsExactly("push-1", "reply");
        sink.completeNext();
        assertThat(sink.sent).containsExactly("push-1", "reply", "push-2");
    }

    @Test
    void aReplyThatFollowsPushesLetsThemPassAndGoesBehindThem() {
        OutboundQueue queue = queue(10);
        queue.offer("push-1"); // in flight
        OutboundQueue.ReplySlot slot = queue.reserve();
        slot.followPushes(); // a mutation about to run
        queue.offer("push-2"); // published while it runs (its own pushes or anyone's)
        queue.offer("push-3");

        sink.completeNext();
        sink.completeNext();
        assertThat(sink.sent).containsExactly("push-1", "push-2", "push-3"); // not held back
        assertThat(queue.pendingReplies()).isEqualTo(1);
        slot.fill("reply");
        sink.completeNext();
        assertThat(sink.sent).containsExactly("push-1", "push-2", "push-3", "reply");
        assertThat(queue.pendingReplies()).isZero();
    }

    @Test
    void aReplyThatFollowsPushesIsDroppedWhenTheQueueClosedOrShedMeanwhile() {
        OutboundQueue closed = queue(10);
        OutboundQueue.ReplySlot first = closed.reserve();
        first.followPushes();
        closed.close(1001, "bye");
        first.fill("reply");
        assertThat(sink.sent).isEmpty();
        assertThat(closed.size()).isZero();

        OutboundQueue shed = queue(2);
        shed.offer("in flight");
        OutboundQueue.ReplySlot second = shed.reserve();
        second.followPushes();
        shed.offer("p1");
        shed.offer("p2");
        shed.offer("p3"); // over the limit: shed, the resync alone is queued
        second.fill("reply");
        assertThat(shed.size()).isEqualTo(1);
        assertThat(shed.pendingReplies()).isZero();
    }

    @Test
    void aFailedSendClosesWith1011AndDropsTheRest() {
        OutboundQueue queue = queue(10);
        queue.offer("a");
        queue.offer("b");
        sink.failNext();

        assertThat(sink.closes).containsExactly("1011 send failed");
        assertThat(queue.state()).isEqualTo(OutboundQueue.State.CLOSED);
        assertThat(sink.sent).containsExactly("a");
    }

    @Test
    void aSinkThatThrowsClosesTheQueue() {
        OutboundQueue.Sink throwing = new OutboundQueue.Sink() {
            @Override
            public void sendText(String text, Consumer<Throwable> completion) {
                throw new IllegalStateException("session closed");
            }

            @Override
            public void sendPing(Consumer<Throwable> completion) {
                throw new IllegalStateException("session closed");
            }

            @Override
            public void close(int code, String reason) {
                sink.close(code, reason);
            }
        };
        OutboundQueue queue = new OutboundQueue(throwing, 10, 1_000, clock::get, Runnable::run, shed::add, written);

        queue.offer("a");

        assertThat(queue.state()).isEqualTo(OutboundQueue.State.CLOSED);
        assertThat(sink.closes).containsExactly("1011 send failed");
    }

    @Test
    void pingsTakeTheirTurnAndAreNotDuplicated() {
        OutboundQueue queue = queue(10);
        queue.offer("a");
        assertThat(queue.offerPing()).isTrue();
        assertThat(queue.offerPing()).isFalse(); // one is already waiting
        queue.offer("b");

        sink.completeNext();
        sink.completeNext();
        assertThat(sink.sent).containsExactly("a", "<ping>", "b");
        assertThat(queue.offerPing()).isTrue();
    }

    @Test
    void closeDropsQueuedMessagesAndClosesOnce() {
        OutboundQueue queue = queue(10);
        queue.offer("a");
        queue.offer("b");

        assertThat(queue.close(1001, "going away")).isTrue();
        assertThat(queue.close(1001, "going away")).isFalse();
        sink.completeNext();

        assertThat(sink.sent).containsExactly("a");
        assertThat(sink.closes).containsExactly("1001 going away");
        assertThat(queue.offer("c")).isFalse();
    }

    @Test
    @Timeout(10)
    void synchronousCompletionsDrainIterativelyNotRecursively() {
        List<String> sent = new ArrayList<>();
        OutboundQueue.Sink immediate = new OutboundQueue.Sink() {
            @Override
            public void sendText(String text, Consumer<Throwable> completion) {
                sent.add(text);
                completion.accept(null); // completes inside the call, as some containers do
            }

            @Override
            public void sendPing(Consumer<Throwable> completion) {
                completion.accept(null);
            }

            @Override
            public void close(int code, String reason) {
                throw new AssertionError("closed: " + code);
            }
        };
        OutboundQueue queue = new OutboundQueue(immediate, 200_000, 1_000, clock::get, Runnable::run, shed::add, written);
        OutboundQueue.ReplySlot slot = queue.reserve();
        for (int i = 0; i < 100_000; i++) {
            queue.offer("m" + i);
        }
        assertThat(sent).isEmpty();

        slot.fill("reply"); // 100,001 sends, each completing inside sendText: must not overflow the stack

        assertThat(sent).hasSize(100_001);
        assertThat(sent.get(0)).isEqualTo("reply");
        assertThat(sent.get(100_000)).isEqualTo("m99999");
        assertThat(queue.size()).isZero();
        assertThat(queue.isSending()).isFalse();
    }

    /**
     * Producers offer concurrently while completions arrive on another thread: never two sends
     * in flight, every message sent exactly once, each producer's messages in order.
     */
    @Test
    @Timeout(30)
    void concurrentProducersAndAsyncCompletionsLoseAndDuplicateNothing() throws Exception {
        int producers = 4;
        int perProducer = 5_000;
        LinkedBlockingQueue<Consumer<Throwable>> completions = new LinkedBlockingQueue<>();
        List<String> sent = new CopyOnWriteArrayList<>();
        AtomicLong inFlight = new AtomicLong();
        AtomicLong maxInFlight = new AtomicLong();
        OutboundQueue.Sink asyncSink = new OutboundQueue.Sink() {
            @Override
            public void sendText(String text, Consumer<Throwable> completion) {
                maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                sent.add(text);
                completions.add(completion);
            }

            @Override
            public void sendPing(Consumer<Throwable> completion) {
                throw new AssertionError("no pings here");
            }

            @Override
            public void close(int code, String reason) {
                throw new AssertionError("closed: " + code + " " + reason);
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(producers + 2);
        try {
            OutboundQueue queue = new OutboundQueue(asyncSink, producers * perProducer, 60_000, clock::get, pool,
                    shed::add, written);
            CountDownLatch start = new CountDownLatch(1);
            for (int p = 0; p < producers; p++) {
                int producer = p;
                pool.execute(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    for (int i = 0; i < perProducer; i++) {
                        queue.offer(producer + ":" + i);
                    }
                });
            }
            pool.execute(() -> { // the "container": completes sends asynchronously
                try {
                    for (int done = 0; done < producers * perProducer; done++) {
                        Consumer<Throwable> completion = completions.poll(20, TimeUnit.SECONDS);
                        if (completion == null) {
                            return;
                        }
                        inFlight.decrementAndGet();
                        completion.accept(null);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            start.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sent.size() < producers * perProducer && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }

            assertThat(sent).hasSize(producers * perProducer).doesNotHaveDuplicates();
            assertThat(maxInFlight.get()).isEqualTo(1);
            for (int p = 0; p < producers; p++) {
                String prefix = p + ":";
                List<Integer> order = new ArrayList<>();
                sent.stream().filter(s -> s.startsWith(prefix))
                        .forEach(s -> order.add(Integer.parseInt(s.substring(prefix.length()))));
                assertThat(order).isSorted().hasSize(perProducer);
            }
            assertThat(shed).isEmpty();
        } finally {
            pool.shutdownNow();
        }
    }
}
