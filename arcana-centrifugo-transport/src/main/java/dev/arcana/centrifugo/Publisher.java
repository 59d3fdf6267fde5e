package dev.arcana.centrifugo;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Push;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Sends the pushes of each invalidation to Centrifugo without ever blocking the caller.
 *
 * <ul>
 *   <li><b>One request per invalidation.</b> {@link #submit} turns one {@code Transport.publish}
 *   call into one job: a single {@code /api/publish}, or one {@code /api/batch} whose commands
 *   Centrifugo runs in order (the batch is not marked {@code parallel}). Consecutive deliveries of
 *   the same push to several channels become one {@code broadcast} command. With
 *   {@code arcana.centrifugo.batch=false} every message is its own {@code /api/publish}, in order.</li>
 *   <li><b>Order.</b> Jobs leave the queue in order; a job waits while an earlier one on any of its
 *   channels is in flight, so every channel sees its messages in the order given.</li>
 *   <li><b>Bounds.</b> At most {@code max-in-flight} requests under way and {@code queue-limit} jobs
 *   waiting.</li>
 *   <li><b>Overflow and failures.</b> A job that finds the queue full is dropped, and so are the
 *   messages of a request that failed (retries exhausted, 4xx) or that Centrifugo refused in its
 *   200 body. Every channel that lost a message is owed a {@code resync} ({@code transport_overflow}
 *   or {@code transport_error}); until it is sent, messages to that channel still queued and later
 *   ones are dropped too (the client's {@code /sync} after the resync supersedes them). Resyncs are queued, as one
 *   broadcast per reason, once the queue has drained to half its limit (and, after a network
 *   failure, a backoff has passed). On a seance's channel ({@code views:{seance}}) the resync
 *   reaches that seance; on a workspace's channel ({@code workspace:{id}}) it reaches every seance
 *   subscribed to the workspace, which is exactly the set that missed the {@code table_diff}.
 *   A resync that Centrifugo refuses (e.g. unknown namespace) is dropped and counted, never
 *   retried in a loop.</li>
 * </ul>
 */
final class Publisher {
    static final String OVERFLOW = "transport_overflow";
    static final String FAILURE = "transport_error";
    /** Centrifugo custom disconnect code (4000-4499: the client may reconnect). */
    static final int DISCONNECT_CODE = 4001;
    static final String DISCONNECT_REASON = "seance closed";
    private static final System.Logger LOG = System.getLogger(Publisher.class.getName());

    private enum Kind { PUSHES, RESYNC, DISCONNECT }

    private record Job(Kind kind, List<Command> commands, Set<String> channels, int messages) {
        static Job of(Kind kind, List<Command> commands) {
            Set<String> channels = new LinkedHashSet<>();
            int messages = 0;
            for (Command command : commands) {
                channels.addAll(command.channels());
                messages += command.messages();
            }
            return new Job(kind, List.copyOf(commands), channels, messages);
        }
    }

    private final CentrifugoSettings settings;
    private final Channels channels;
    private final CentrifugoApi api;
    private final ScheduledExecutorService scheduler;
    private final Backoff backoff;
    private final Counters counters;
    private final LongSupplier clockMs;

    private final Object lock = new Object();
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final Set<String> busyChannels = new HashSet<>();
    private final Map<String, String> pendingResync = new LinkedHashMap<>();
    private int inFlight;
    private long resyncNotBeforeMs;
    private int consecutiveFailures;
    private String lastError;
    private volatile boolean running = true;

    Publisher(CentrifugoSettings settings, CentrifugoApi api, ScheduledExecutorService scheduler, Backoff backoff,
              Counters counters, LongSupplier clockMs) {
        this.settings = settings;
        this.channels = Channels.of(settings);
        this.api = api;
        this.scheduler = scheduler;
        this.backoff = backoff;
        this.counters = counters;
        this.clockMs = clockMs;
    }

    /** Queues the deliveries of one invalidation; returns at once. */
    void submit(List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return;
        }
        synchronized (lock) {
            if (!running) {
                counters.dropped.add(deliveries.size());
                return;
            }
            List<Command> commands = commands(deliveries);
            if (!commands.isEmpty()) {
                Job job = Job.of(Kind.PUSHES, commands);
                if (queue.size() >= settings.queueLimit()) {
                    counters.dropped.add(job.messages());
                    job.channels().forEach(c -> pendingResync.putIfAbsent(c, OVERFLOW));
                } else {
                    queue.add(job);
                }
            }
        }
        drain(); // also when everything was dropped: owed resyncs may be due
    }

    /** Queues a {@code /api/disconnect} of the seance's connections, after its earlier pushes. */
    void disconnect(String seanceId) {
        String channel = channels.seance(seanceId);
        synchronized (lock) {
            if (!running) {
                return;
            }
            pendingResync.remove(channel); // the seance is gone: nobody to resync
            // not subject to the queue limit: one per closed seance, and losing it would keep the seance connected
            queue.add(Job.of(Kind.DISCONNECT,
                    List.of(Command.disconnect(seanceId, DISCONNECT_CODE, DISCONNECT_REASON, channel))));
        }
        drain();
    }

    /** Stops accepting work; what is queued is dropped, requests under way finish on their own. */
    void stop() {
        synchronized (lock) {
            running = false;
            queue.forEach(job -> counters.dropped.add(job.messages()));
            queue.clear();
            pendingResync.clear();
        }
    }

    boolean isRunning() {
        return running;
    }

    /** {@code up}, {@code down} (the last request failed: Centrifugo unreachable or refusing) or {@code stopped}. */
    String state() {
        synchronized (lock) {
            return !running ? "stopped" : consecutiveFailures > 0 ? "down" : "up";
        }
    }

    /** Why the last request failed, if it did. */
    String lastError() {
        synchronized (lock) {
            return consecutiveFailures > 0 ? lastError : null;
        }
    }

    CentrifugoStats stats() {
        synchronized (lock) {
            return new CentrifugoStats(counters.published.sum(), counters.requests.sum(), counters.retries.sum(),
                    counters.failedRequests.sum(), counters.apiErrors.sum(), counters.dropped.sum(),
                    counters.resyncs.sum(), queue.size(), inFlight, pendingResync.size());
        }
    }

    /** Deliveries → commands; messages to channels owed a resync are dropped. Runs under the lock. */
    private List<Command> commands(List<Delivery> deliveries) {
        List<Command> commands = new ArrayList<>();
        int i = 0;
        while (i < deliveries.size()) {
            Push push = deliveries.get(i).push();
            List<String> targets = new ArrayList<>();
            int j = i;
            for (; j < deliveries.size() && deliveries.get(j).push() == push; j++) {
                String channel = channels.of(deliveries.get(j));
                if (pendingResync.containsKey(channel)) {
                    counters.dropped.increment();
                } else {
                    targets.add(channel);
                }
            }
            if (!targets.isEmpty()) {
                JsonObject data = push.toJsonObject();
                commands.add(settings.batch() ? Command.broadcast(targets, data) : Command.publish(targets.get(0), data));
                if (!settings.batch()) {
                    targets.stream().skip(1).forEach(c -> commands.add(Command.publish(c, data)));
                }
            }
            i = j;
        }
        return commands;
    }

    private void drain() {
        List<Job> ready = new ArrayList<>();
        synchronized (lock) {
            if (!running) {
                return;
            }
            queueResyncs();
            while (inFlight < settings.maxInFlight() && !queue.isEmpty()) {
                Job head = queue.peek();
                if (!Collections.disjoint(head.channels(), busyChannels)) {
                    break; // an earlier job on one of its channels is in flight: keep the order
                }
                queue.poll();
                busyChannels.addAll(head.channels());
                inFlight++;
                ready.add(head);
            }
        }
        ready.forEach(this::send);
    }

    /**
     * Drops the queued messages to channels now owed a resync: sent after the gap, they would
     * arrive before the resync that supersedes them. Runs under the lock.
     */
    private void purgeQueued(Set<String> owed) {
        List<Job> kept = new ArrayList<>(queue.size());
        for (Job job : queue) {
            if (job.kind() != Kind.PUSHES || Collections.disjoint(job.channels(), owed)) {
                kept.add(job);
                continue;
            }
            List<Command> commands = new ArrayList<>();
            for (Command command : job.commands()) {
                List<String> targets = command.channels().stream().filter(c -> !owed.contains(c)).toList();
                counters.dropped.add(command.channels().size() - targets.size());
                if (targets.size() == command.channels().size()) {
                    commands.add(command);
                } else if (!targets.isEmpty()) {
                    commands.add(Command.broadcast(targets, command.body().getJsonObject("data")));
                }
            }
            if (!commands.isEmpty()) {
                kept.add(Job.of(Kind.PUSHES, commands));
            }
        }
        queue.clear();
        queue.addAll(kept);
    }

    /** Runs under the lock. */
    private void queueResyncs() {
        if (pendingResync.isEmpty() || queue.size() > settings.queueLimit() / 2
                || clockMs.getAsLong() < resyncNotBeforeMs) {
            return;
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        pendingResync.forEach((channel, reason) -> byReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(channel));
        pendingResync.clear();
        List<Command> commands = new ArrayList<>();
        byReason.forEach((reason, targets) -> commands.add(Command.broadcast(targets, Push.resync(reason).toJsonObject())));
        queue.add(Job.of(Kind.RESYNC, commands));
    }

    /**
     * What became of a job's requests.
     *
     * @param outcome what Centrifugo accepted and refused
     * @param failure null when every request got its 200; otherwise how the first failed request
     *                ended (the job's later requests are then not sent)
     * @param detail  why it failed
     */
    private record Sent(ApiReplies.Outcome outcome, ApiReply.Kind failure, String detail) {
    }

    private void send(Job job) {
        CompletableFuture<Sent> done;
        if (settings.batch() && job.commands().size() > 1) {
            JsonArrayBuilder entries = Json.createArrayBuilder();
            job.commands().forEach(c -> entries.add(c.asBatchEntry()));
            done = api.call("batch", Json.createObjectBuilder().add("commands", entries).build())
                    .thenApply(reply -> reply.isOk()
                            ? new Sent(ApiReplies.batch(job.commands(), reply.body()), null, null)
                            : failed(job.commands(), reply, null));
        } else {
            done = sendInOrder(job.commands(), 0, null);
        }
        done.whenComplete((sent, error) -> {
            if (error != null) { // not expected: CentrifugoApi never fails its future
                LOG.log(System.Logger.Level.ERROR, "ARCANA-CENTRIFUGO: unexpected failure", error);
                sent = new Sent(ApiReplies.Outcome.allFailed(job.commands(), error.toString()),
                        ApiReply.Kind.REJECTED, error.toString());
            }
            complete(job, sent);
        });
    }

    /** One request per command, each after the previous one ended; a failed request ends the job. */
    private CompletableFuture<Sent> sendInOrder(List<Command> commands, int index, ApiReplies.Outcome sofar) {
        if (index == commands.size()) {
            return CompletableFuture.completedFuture(new Sent(sofar, null, null));
        }
        Command command = commands.get(index);
        return api.call(command.method(), command.body()).thenCompose(reply -> reply.isOk()
                ? sendInOrder(commands, index + 1, merge(sofar, ApiReplies.single(command, reply.body())))
                : CompletableFuture.completedFuture(failed(commands.subList(index, commands.size()), reply, sofar)));
    }

    private static Sent failed(List<Command> unsent, ApiReply reply, ApiReplies.Outcome sofar) {
        ApiReplies.Outcome lost = ApiReplies.Outcome.allFailed(unsent, reply.detail());
        return new Sent(merge(sofar, lost), reply.kind(), reply.detail());
    }

    private static ApiReplies.Outcome merge(ApiReplies.Outcome a, ApiReplies.Outcome b) {
        if (a == null) {
            return b;
        }
        List<String> failed = new ArrayList<>(a.failed());
        failed.addAll(b.failed());
        return new ApiReplies.Outcome(a.delivered() + b.delivered(), failed, a.apiErrors() + b.apiErrors(),
                a.firstError() != null ? a.firstError() : b.firstError());
    }

    private void complete(Job job, Sent sent) {
        ApiReplies.Outcome outcome = sent.outcome();
        long retryAtMs = -1;
        synchronized (lock) {
            inFlight--;
            busyChannels.removeAll(job.channels());
            counters.apiErrors.add(outcome.apiErrors());
            if (sent.failure() == null) {
                consecutiveFailures = 0;
            } else {
                consecutiveFailures++;
                lastError = sent.detail();
            }
            switch (job.kind()) {
                case PUSHES -> {
                    counters.published.add(outcome.delivered());
                    counters.dropped.add(outcome.failed().size());
                    if (running && !outcome.failed().isEmpty()) {
                        outcome.failed().forEach(c -> pendingResync.putIfAbsent(c, FAILURE));
                        purgeQueued(Set.copyOf(outcome.failed()));
                    }
                }
                case RESYNC -> {
                    counters.resyncs.add(outcome.delivered());
                    if (sent.failure() == ApiReply.Kind.TRANSIENT && running) {
                        // Centrifugo unreachable: owe them again, but not before a backoff (no hot loop)
                        Set<String> refused = new HashSet<>(outcome.failed());
                        job.commands().forEach(command -> command.channels().stream().filter(refused::contains)
                                .forEach(c -> pendingResync.putIfAbsent(c, command.body().getJsonObject("data")
                                        .getJsonObject("data").getString("reason", FAILURE))));
                    } else {
                        counters.dropped.add(outcome.failed().size());
                    }
                }
                case DISCONNECT -> {
                    // nothing owed: a failed disconnect is logged below; the seance's pushes already stopped
                }
            }
            if (sent.failure() == ApiReply.Kind.TRANSIENT) {
                resyncNotBeforeMs = clockMs.getAsLong() + backoff.delayMs(Math.min(consecutiveFailures, 30));
                retryAtMs = resyncNotBeforeMs;
            }
        }
        if (sent.failure() != null || outcome.apiErrors() > 0) {
            String consequence = switch (job.kind()) {
                case PUSHES -> "they are owed a resync";
                case RESYNC -> sent.failure() == ApiReply.Kind.TRANSIENT ? "the resync is tried again later"
                        : "the resync is dropped";
                case DISCONNECT -> "the seance's connections stay open until they expire";
            };
            LOG.log(System.Logger.Level.WARNING, "ARCANA-CENTRIFUGO: {0} {1} of {2} channel(s) not reached ({3}); {4}",
                    job.kind().name().toLowerCase(java.util.Locale.ROOT), outcome.failed().size(),
                    job.channels().size(), sent.detail() != null ? sent.detail() : outcome.firstError(), consequence);
        }
        if (retryAtMs >= 0) {
            long delay = Math.max(0, retryAtMs - clockMs.getAsLong());
            try {
                scheduler.schedule(this::drain, delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException shuttingDown) {
                LOG.log(System.Logger.Level.DEBUG, "ARCANA-CENTRIFUGO: no resync retry scheduled", shuttingDown);
            }
        }
        drain();
    }
}
