package dev.arcana.centrifugo;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Transport;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Centrifugo transport without its container wiring: a {@link Transport} over Centrifugo's
 * server HTTP API ({@link Publisher} for queueing, ordering, overflow and resync;
 * {@link CentrifugoApi} for the requests and retries). The JDK's asynchronous
 * {@link HttpClient} runs its callbacks on {@code executor}, which also times the retries.
 */
public final class CentrifugoClient implements Transport, AutoCloseable {
    private final CentrifugoSettings settings;
    private final Publisher publisher;

    private CentrifugoClient(CentrifugoSettings settings, Publisher publisher) {
        this.settings = settings;
        this.publisher = publisher;
    }

    public static CentrifugoClient create(CentrifugoSettings settings, ScheduledExecutorService executor) {
        return create(settings, executor, System::currentTimeMillis);
    }

    /** With a clock of its own (tests: when a resync may be sent after a network failure). */
    static CentrifugoClient create(CentrifugoSettings settings, ScheduledExecutorService executor,
                                   java.util.function.LongSupplier clockMs) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // Centrifugo's API over plain http: no h2c upgrade dance
                .connectTimeout(settings.connectTimeout())
                .executor(executor)
                .build();
        Counters counters = new Counters();
        Backoff backoff = new Backoff(settings.retryBaseMs(), settings.retryMaxMs(),
                () -> ThreadLocalRandom.current().nextDouble());
        CentrifugoApi api = new CentrifugoApi(settings, http, executor, backoff, counters);
        return new CentrifugoClient(settings, new Publisher(settings, api, executor, backoff, counters, clockMs));
    }

    /** Queues the messages of one invalidation; never blocks. */
    @Override
    public void publish(List<Delivery> deliveries) {
        publisher.submit(deliveries);
    }

    /** Queues {@code /api/disconnect} for the seance (Centrifugo user = seance id), after its earlier pushes. */
    @Override
    public void disconnectSeance(String seanceId) {
        publisher.disconnect(seanceId);
    }

    /** {@code up}, {@code down} (the last request failed) or {@code stopped}. */
    @Override
    public String state() {
        return publisher.state();
    }

    /** Why the last request failed, while the state is {@code down}. */
    public Optional<String> lastError() {
        return Optional.ofNullable(publisher.lastError());
    }

    public boolean isRunning() {
        return publisher.isRunning();
    }

    public CentrifugoStats stats() {
        return publisher.stats();
    }

    public CentrifugoSettings settings() {
        return settings;
    }

    /** Stops accepting pushes; queued ones are dropped (the clients resync when they reconnect). */
    @Override
    public void close() {
        publisher.stop();
    }
}
