package dev.arcana.load;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer of a mutation scenario: one acting client per workspace sends {@code rename_task}
 * frames over its WebSocket, paced open-loop at a fixed total rate (a slow reply does not delay
 * the next send), round-robin over the acting clients and, per client, over its workspace's tasks.
 *
 * <p>Each mutation renames a task to {@code L<seq>} and is logged in the {@link CommitLog} (sequence,
 * {@code nanoTime}) just before its frame is handed to the socket, so the other clients' frames are
 * credited "mutate sent → frame" by the same code as the SQL writer's commits. A task is not
 * renamed again while a rename of it is unanswered, so per row the commit order is the send order.
 *
 * <p>Per reply: the round trip (sent → {@code mutate_ok} arrival, timestamped before parsing) is
 * recorded; an {@code error} reply, a {@code replayed: true} (the driver never repeats a
 * {@code mutation_id}) and a {@code mutate_ok} that arrives before the acting client's own view
 * shows the new title (the protocol queues a mutation's pushes before its reply) are counted.
 */
final class PacedMutator {
    static final String ACTION = "rename_task";

    private final Fixture fixture;
    private final CommitLog log;
    private final List<LoadClient> actors;
    private final LatencyRecorder roundTrips;
    private final int[] cursors;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    private final AtomicLong notYetVisible = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile String firstProblem = "";

    /** @param actors the acting clients, one per workspace of the fixture */
    PacedMutator(Fixture fixture, CommitLog log, List<LoadClient> actors, LatencyRecorder roundTrips) {
        this.fixture = fixture;
        this.log = log;
        this.actors = List.copyOf(actors);
        this.roundTrips = roundTrips;
        this.cursors = new int[actors.size()];
    }

    /** Sends {@code perSecond} mutations per second in total for {@code seconds}; returns the mutations sent. */
    long run(int perSecond, int seconds) {
        long periodNanos = (long) (1e9 / perSecond);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        long before = sent.get();
        int tick = 0;
        for (long next = start; next < end; next += periodNanos, tick++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int actor = tick % actors.size();
            String task = nextTask(actor);
            if (task == null) {
                skipped.incrementAndGet(); // every task of the workspace has a rename in flight
                continue;
            }
            send(actors.get(actor), task);
        }
        return sent.get() - before;
    }

    /** The acting client's next task in round-robin order that has no rename in flight, or null. */
    private String nextTask(int actor) {
        List<String> tasks = fixture.tasksOf(actors.get(actor).workspace());
        for (int i = 0; i < tasks.size(); i++) {
            String task = tasks.get(cursors[actor]);
            cursors[actor] = (cursors[actor] + 1) % tasks.size();
            if (inFlight.add(task)) {
                return task;
            }
        }
        return null;
    }

    private void send(LoadClient actor, String task) {
        pending.incrementAndGet();
        sent.incrementAndGet();
        long sentNanos = System.nanoTime();
        long seq = log.next(task, sentNanos);
        String title = CommitLog.title(seq);
        JsonObject params = Jsons.JSON.createObjectBuilder().add("id", task).add("title", title).build();
        actor.mutate(ACTION, params, "load:" + seq).whenComplete((reply, error) -> {
            try {
                if (error != null) {
                    errors.incrementAndGet();
                    problem(task + ": " + error);
                } else if ("mutate_ok".equals(reply.frame().getString("type", ""))) {
                    ok.incrementAndGet();
                    roundTrips.record(sentNanos, reply.receivedNanos());
                    if (reply.frame().getBoolean("replayed", false)) {
                        replayed.incrementAndGet();
                        problem(task + ": replayed " + reply.frame());
                    }
                    if (!title.equals(actor.state().title(task))) {
                        notYetVisible.incrementAndGet();
                        problem(task + ": mutate_ok before the acting client's view showed " + title);
                    }
                } else {
                    errors.incrementAndGet();
                    problem(task + ": " + reply.frame());
                }
            } finally {
                inFlight.remove(task);
                pending.decrementAndGet();
            }
        });
    }

    private void problem(String text) {
        if (firstProblem.isEmpty()) {
            firstProblem = text;
        }
    }

    /** Waits (polling, bounded) until every mutation sent has its reply; returns those still unanswered. */
    int awaitReplies(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (pending.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20); // replies arrive on the clients' listener threads
        }
        return pending.get();
    }

    /** The counters so far. */
    Counts counts() {
        return new Counts(sent.get(), ok.get(), errors.get(), replayed.get(), notYetVisible.get(), skipped.get(),
                firstProblem);
    }

    /**
     * @param sent          mutate frames sent (warm-up included)
     * @param ok            {@code mutate_ok} replies
     * @param errors        error replies and failed sends
     * @param replayed      replies with {@code replayed: true}
     * @param notYetVisible {@code mutate_ok} replies that arrived before the acting client's view showed the change
     * @param skipped       ticks without a send (every task of the workspace had a rename in flight)
     */
    record Counts(long sent, long ok, long errors, long replayed, long notYetVisible, long skipped,
                  String firstProblem) {
    }

    static List<LoadClient> actorsOf(List<LoadClient> clients, Fixture fixture) {
        List<LoadClient> actors = new ArrayList<>();
        for (String workspace : fixture.workspaces()) {
            actors.add(clients.stream().filter(c -> c.workspace().equals(workspace)).findFirst().orElseThrow());
        }
        return actors;
    }
}
