package dev.arcana.websocket;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.Arcana;
import dev.arcana.api.Change;
import dev.arcana.api.EngineStats;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.NotFoundException;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.SyncRequest;
import jakarta.json.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Test doubles shared by the tests of this package. */
final class Fakes {

    private Fakes() {
    }

    /**
     * A session that records what it was asked to send and holds each completion until the test
     * completes it ({@link #completeNext()}), or completes at once when {@link #autoComplete} is set.
     */
    static final class FakeSink implements OutboundQueue.Sink {
        final List<String> sent = new CopyOnWriteArrayList<>();
        final List<String> closes = new CopyOnWriteArrayList<>();
        private final Deque<Consumer<Throwable>> pending = new ArrayDeque<>();
        volatile boolean autoComplete;
        int maxInFlight;
        private int inFlight;

        static FakeSink auto() {
            FakeSink sink = new FakeSink();
            sink.autoComplete = true;
            return sink;
        }

        @Override
        public void sendText(String text, Consumer<Throwable> completion) {
            record(text, completion);
        }

        @Override
        public void sendPing(Consumer<Throwable> completion) {
            record("<ping>", completion);
        }

        private void record(String what, Consumer<Throwable> completion) {
            boolean now;
            synchronized (this) {
                inFlight++;
                maxInFlight = Math.max(maxInFlight, inFlight);
                sent.add(what);
                now = autoComplete;
                if (!now) {
                    pending.add(completion);
                }
            }
            if (now) {
                synchronized (this) {
                    inFlight--;
                }
                completion.accept(null);
            }
        }

        @Override
        public void close(int code, String reason) {
            closes.add(code + " " + reason);
        }

        /** Completes the oldest send in flight successfully. */
        void completeNext() {
            complete(null);
        }

        void failNext() {
            complete(new java.io.IOException("broken pipe"));
        }

        private void complete(Throwable failure) {
            Consumer<Throwable> completion;
            synchronized (this) {
                completion = pending.poll();
                if (completion == null) {
                    throw new AssertionError("no send in flight");
                }
                inFlight--;
            }
            completion.accept(failure);
        }

        synchronized int inFlight() {
            return pending.size();
        }

        /** Frames sent, pings excluded. */
        List<String> texts() {
            return sent.stream().filter(s -> !s.equals("<ping>")).toList();
        }
    }

    /** A clock and one-shot timers that move only when the test advances them. */
    static final class ManualTimers implements Timers {
        private long now;
        private long sequence;
        private final PriorityQueue<Task> tasks = new PriorityQueue<>(
                Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.sequence));
        /** When false, cancel() does nothing: the task still runs (a cancel that lost the race). */
        boolean cancelWorks = true;

        private final class Task implements Timers.Cancellable {
            final long due;
            final long sequence;
            final Runnable runnable;

            Task(long due, long sequence, Runnable runnable) {
                this.due = due;
                this.sequence = sequence;
                this.runnable = runnable;
            }

            @Override
            public void cancel() {
                if (cancelWorks) {
                    synchronized (ManualTimers.this) {
                        tasks.remove(this);
                    }
                }
            }
        }

        @Override
        public synchronized Cancellable schedule(Runnable task, long delayMillis) {
            Task scheduled = new Task(now + delayMillis, sequence++, task);
            tasks.add(scheduled);
            return scheduled;
        }

        @Override
        public synchronized long now() {
            return now;
        }

        /** Moves the clock forward, running every task that falls due, in order. */
        void advance(long millis) {
            long target;
            synchronized (this) {
                target = now + millis;
            }
            while (true) {
                Task next;
                synchronized (this) {
                    next = tasks.peek();
                    if (next == null || next.due > target) {
                        now = target;
                        return;
                    }
                    tasks.poll();
                    now = next.due;
                }
                next.runnable.run();
            }
        }

        synchronized int scheduled() {
            return tasks.size();
        }
    }

    /** An engine that answers from canned values and records what it was asked. */
    static class FakeArcana implements Arcana {
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());
        final List<String> released = new CopyOnWriteArrayList<>();
        final List<ActiveSubscription> active = new ArrayList<>();
        volatile boolean running = true;
        /** Thrown by subscribe when set. */
        volatile RuntimeException subscribeFailure;
        /** Run inside subscribe, before it answers (e.g. to publish concurrently). */
        volatile Runnable duringSubscribe;
        /** Thrown by mutate when set. */
        volatile RuntimeException mutateFailure;
        /** Run inside mutate, before it answers (e.g. to publish the mutation's pushes). */
        volatile Runnable duringMutate;
        /** What mutate answers. */
        volatile dev.arcana.api.MutationOutcome mutateOutcome =
                new dev.arcana.api.MutationOutcome(null, null, List.of(), List.of(), false);
        /** Seance ids that belong to somebody else: claims of them are refused. */
        final Set<String> foreignSeances = ConcurrentHashMap.newKeySet();

        @Override
        public void claimSeance(Identity identity) {
            calls.add("claim " + identity.seanceId());
            if (foreignSeances.contains(identity.seanceId())) {
                throw new ForbiddenException("this seance belongs to another identity");
            }
        }

        @Override
        public Snapshot subscribe(Identity identity, String view, Map<String, ?> params) {
            calls.add("subscribe " + identity.seanceId() + " " + view + " " + params);
            if (subscribeFailure != null) {
                throw subscribeFailure;
            }
            if (duringSubscribe != null) {
                duringSubscribe.run();
            }
            return new Snapshot(view, "hash-" + view, 1, identity.seanceId(),
                    Json.createArrayBuilder().add(Json.createObjectBuilder().add("table", "users").add("id", "u1")
                            .add("fields", Json.createArrayBuilder().add("id"))).build(),
                    Json.createObjectBuilder().add("users", Json.createObjectBuilder()
                            .add("u1", Json.createObjectBuilder().add("id", "u1"))).build(),
                    OptionalLong.of(1));
        }

        @Override
        public void unsubscribe(Identity identity, String view, String paramsHash) {
            calls.add("unsubscribe " + identity.seanceId() + " " + view + " " + paramsHash);
            if (active.stream().noneMatch(a -> a.view().equals(view) && a.paramsHash().equals(paramsHash))) {
                throw NotFoundException.unknownSubscription(view, paramsHash);
            }
        }

        @Override
        public List<SyncEntry> sync(Identity identity, List<SyncRequest> views) {
            calls.add("sync " + identity.seanceId() + " " + views.size());
            List<SyncEntry> entries = new ArrayList<>();
            for (SyncRequest request : views) {
                entries.add(SyncEntry.catchUp(request.view(), request.paramsHash(), request.version(),
                        Json.createArrayBuilder().build(), Json.createObjectBuilder().build(), OptionalLong.empty()));
            }
            return entries;
        }

        @Override
        public List<ActiveSubscription> active(Identity identity) {
            return List.copyOf(active);
        }

        @Override
        public void releaseSeance(String seanceId) {
            released.add(seanceId);
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public void register(dev.arcana.api.Mutation mutation) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.arcana.api.MutationOutcome mutate(Identity identity, String action, Map<String, ?> params,
                                                     String mutationId) {
            calls.add("mutate " + identity.seanceId() + " " + action + " " + params + " " + mutationId);
            if (mutateFailure != null) {
                throw mutateFailure;
            }
            if (duringMutate != null) {
                duringMutate.run();
            }
            return mutateOutcome;
        }

        @Override
        public void register(Graph graph) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void start() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SchemaDescription schema() {
            throw new UnsupportedOperationException();
        }

        @Override
        public EngineStats stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void notify(Change change) {
            throw new UnsupportedOperationException();
        }
    }
}
