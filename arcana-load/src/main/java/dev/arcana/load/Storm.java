package dev.arcana.load;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A reconnect storm: every client's connection is dropped at once (no close frame, as when a network
 * path or a load balancer fails), and every client connects again with its seance and syncs all its
 * views (with their params), {@code inFlight} at a time, retrying a failed attempt after 200 ms.
 * Without a restart the seances are still in their grace period and the syncs are catch-ups; with
 * {@link Plan#restart} the server is restarted in between, knows no seance any more, and every sync
 * re-subscribes (a snapshot): the time then counts from the restarted server answering its ping.
 */
final class Storm {

    /** Stops and starts the server; returns when it answers again. */
    interface Restart {
        void run() throws Exception;
    }

    /**
     * @param atSeconds when, into the measured writes
     * @param restart   null: the server keeps running
     * @param serverPid the server JVM's pid at the time of asking (a restart changes it); 0: unknown
     */
    record Plan(int atSeconds, Restart restart, LongSupplier serverPid) {
        String describe() {
            return restart == null ? "connections dropped" : "server restarted";
        }
    }
    private static final long RETRY_MS = 200;
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(120);

    /**
     * @param what         what happened ({@link Plan#describe})
     * @param seconds      drop (or the restarted server's first answer) → the last client's sync applied
     * @param clientMillis per client, the same span until its sync applied, sorted
     * @param failed       clients still not back when the driver gave up (120 s)
     * @param attempts     connection attempts, retries included
     * @param serverCores  the server JVM's CPU over those seconds, in cores (-1: unknown)
     * @param machineBusy  the whole machine's CPU over them, as a fraction of all cores (-1: unknown)
     */
    record Result(String what, double seconds, long[] clientMillis, int failed, int attempts, double serverCores,
                  double machineBusy) {
        long percentileMillis(int p) {
            return clientMillis.length == 0 ? -1
                    : clientMillis[Math.min(clientMillis.length - 1, (int) Math.ceil(p / 100.0 * clientMillis.length) - 1)];
        }
    }

    private Storm() {
    }

    static Result run(List<LoadClient> clients, HttpClient http, String wsEndpoint, int inFlight, Plan plan)
            throws Exception {
        clients.forEach(LoadClient::drop);
        if (plan.restart() != null) {
            plan.restart().run();
        }
        long dropped = System.nanoTime(); // or: the restarted server accepts connections again
        long pid = plan.serverPid().getAsLong();
        ServerProbe.CpuMark start = ServerProbe.CpuMark.take(pid);
        Window window = new Window(inFlight);
        AtomicInteger attempts = new AtomicInteger();
        List<CompletableFuture<Long>> back = new ArrayList<>();
        for (LoadClient client : clients) {
            back.add(reconnect(client, http, wsEndpoint, window, attempts, dropped));
        }
        long[] millis = new long[clients.size()];
        int failed = 0;
        int n = 0;
        for (CompletableFuture<Long> future : back) {
            try {
                millis[n++] = future.get(Math.max(1, GIVE_UP_NANOS - (System.nanoTime() - dropped)), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                failed++;
                n--;
            }
        }
        ServerProbe.CpuMark end = ServerProbe.CpuMark.take(pid);
        long[] done = Arrays.copyOf(millis, n);
        Arrays.sort(done);
        double seconds = done.length == 0 ? 0 : done[done.length - 1] / 1000.0;
        return new Result(plan.describe(), seconds, done, failed, attempts.get(), end.serverCoresSince(start),
                end.machineBusySince(start));
    }

    /** Reconnects and syncs one client (retrying), completing with the milliseconds since the drop. */
    private static CompletableFuture<Long> reconnect(LoadClient client, HttpClient http, String wsEndpoint,
                                                     Window window, AtomicInteger attempts, long dropped) {
        CompletableFuture<Void> turn = new CompletableFuture<>();
        window.enter(() -> turn.complete(null));
        return turn.thenCompose(go -> {
                    attempts.incrementAndGet();
                    return client.reconnectAndSync(http, wsEndpoint).handle((ok, error) -> {
                        window.leave();
                        return error;
                    });
                })
                .thenCompose(error -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture((System.nanoTime() - dropped) / 1_000_000);
                    }
                    if (System.nanoTime() - dropped > GIVE_UP_NANOS) {
                        return CompletableFuture.failedFuture(error);
                    }
                    client.drop();
                    return CompletableFuture.supplyAsync(() -> null,
                                    CompletableFuture.delayedExecutor(RETRY_MS, TimeUnit.MILLISECONDS))
                            .thenCompose(ignored -> reconnect(client, http, wsEndpoint, window, attempts, dropped));
                });
    }

    /** At most {@code size} reconnects under way; the others wait in line without holding a thread. */
    private static final class Window {
        private final Semaphore free;
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

        Window(int size) {
            free = new Semaphore(size);
        }

        void enter(Runnable start) {
            waiting.add(start);
            startWhatFits();
        }

        void leave() {
            free.release();
            startWhatFits();
        }

        private void startWhatFits() {
            while (!waiting.isEmpty() && free.tryAcquire()) {
                Runnable next = waiting.poll();
                if (next == null) {
                    free.release(); // another thread took it meanwhile
                    return;
                }
                next.run();
            }
        }
    }
}
