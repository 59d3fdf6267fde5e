package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.Push;
import dev.arcana.api.spi.PushType;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport against a faithful local implementation of Centrifugo's published server API. */
class CentrifugoClientTest {
    private static final String KEY = "test-api-key";
    private static ScheduledExecutorService executor;
    /** One server per test: late requests of a finished test (retries, slow answers) cannot reach the next one. */
    private FakeCentrifugo centrifugo;
    private CentrifugoClient client;
    /** The transport's clock: real time, unless a test stops it. */
    private java.util.function.LongSupplier clock = System::currentTimeMillis;
    private final AtomicLong clockMs = new AtomicLong(1_000_000);

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    static void stopExecutor() throws Exception {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startServer() throws Exception {
        centrifugo = FakeCentrifugo.start(0, KEY, Set.of("workspace", "views"));
    }

    @AfterEach
    void stopServer() {
        if (client != null) {
            client.close();
        }
        centrifugo.close();
    }

    private CentrifugoClient client(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(Map.of(
                CentrifugoSettings.URL, centrifugo.baseUrl().toString(),
                CentrifugoSettings.API_KEY, KEY,
                CentrifugoSettings.RETRY_BASE_MS, "10",
                CentrifugoSettings.RETRY_MAX_MS, "40"));
        values.putAll(overrides);
        client = CentrifugoClient.create(CentrifugoSettings.of(values), executor, clock);
        return client;
    }

    private static Push tableDiff(String id, int ver) {
        return new Push(PushType.TABLE_DIFF, Json.createObjectBuilder().add("table", "tasks").add("id", id)
                .add("ver", ver).add("patch", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("op", "replace").add("path", "/title").add("value", "t" + ver))).build());
    }

    private static Push viewDiff(int version) {
        return new Push(PushType.VIEW_DIFF, Json.createObjectBuilder().add("view", "task_list")
                .add("params_hash", "abc").add("version", version)
                .add("refs_patch", Json.createArrayBuilder()).build());
    }

    private static JsonObject resync(String reason) {
        return Push.resync(reason).toJsonObject();
    }

    @Test
    void oneInvalidationIsOneBatchCallWithThePushObjectsAsData() {
        CentrifugoClient transport = client(Map.of());
        Push table = tableDiff("t1", 2);
        Push view = viewDiff(2);

        transport.publish(List.of(Delivery.toWorkspace("acme", table), Delivery.toSeance("s1", view)));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 2);
        assertThat(centrifugo.requests()).singleElement().satisfies(request -> {
            assertThat(request.httpMethod()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/api/batch");
            assertThat(request.header("X-API-Key")).isEqualTo(KEY);
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.json()).isEqualTo(Json.createObjectBuilder().add("commands", Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("publish", Json.createObjectBuilder()
                            .add("channel", "workspace:acme").add("data", table.toJsonObject())))
                    .add(Json.createObjectBuilder().add("publish", Json.createObjectBuilder()
                            .add("channel", "views:s1").add("data", view.toJsonObject())))).build());
        });
        assertThat(centrifugo.publications()).containsExactly(
                new FakeCentrifugo.Publication("workspace:acme", FakeCentrifugo.parse(table.json())),
                new FakeCentrifugo.Publication("views:s1", FakeCentrifugo.parse(view.json())));
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().published() == 2);
        assertThat(transport.stats().requests()).isEqualTo(1);
        assertThat(transport.state()).isEqualTo("up");
    }

    @Test
    void aSingleMessageIsOnePublishCall() {
        CentrifugoClient transport = client(Map.of());

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(3))));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 1);
        assertThat(centrifugo.requests()).singleElement().satisfies(request -> {
            assertThat(request.path()).isEqualTo("/api/publish");
            assertThat(request.json()).isEqualTo(Json.createObjectBuilder().add("channel", "views:s1")
                    .add("data", viewDiff(3).toJsonObject()).build());
        });
    }

    @Test
    void theSamePushToSeveralSeancesIsOneBroadcastCommand() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.VIEWS_NAMESPACE, "views"));
        Push shared = viewDiff(4);

        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 1)),
                Delivery.toSeance("s1", shared), Delivery.toSeance("s2", shared)));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 3);
        JsonObject body = centrifugo.requests().get(0).json();
        assertThat(body.getJsonArray("commands").getJsonObject(1)).isEqualTo(Json.createObjectBuilder()
                .add("broadcast", Json.createObjectBuilder()
                        .add("channels", Json.createArrayBuilder().add("views:s1").add("views:s2"))
                        .add("data", shared.toJsonObject())).build());
        assertThat(centrifugo.publicationsTo("views:s2")).extracting(FakeCentrifugo.Publication::data)
                .containsExactly(shared.toJsonObject());
    }

    @Test
    void unbatchedSendsOnePublishPerMessageInOrder() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.BATCH, "false"));

        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 1)),
                Delivery.toSeance("s1", viewDiff(1)), Delivery.toSeance("s2", viewDiff(1))));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 3);
        assertThat(centrifugo.requests()).extracting(FakeCentrifugo.Request::path)
                .containsExactly("/api/publish", "/api/publish", "/api/publish");
        assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::channel)
                .containsExactly("workspace:acme", "views:s1", "views:s2");
    }

    @Test
    void everyChannelSeesItsMessagesInOrderWithSeveralRequestsInFlight() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.MAX_IN_FLIGHT, "4"));

        for (int version = 1; version <= 60; version++) {
            transport.publish(List.of(Delivery.toWorkspace(version % 2 == 0 ? "acme" : "globex", tableDiff("t", version)),
                    Delivery.toSeance("s" + (version % 3), viewDiff(version))));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> centrifugo.publications().size() == 120);
        for (String channel : List.of("workspace:acme", "workspace:globex", "views:s0", "views:s1", "views:s2")) {
            List<Integer> versions = centrifugo.publicationsTo(channel).stream()
                    .map(p -> p.data().getJsonObject("data"))
                    .map(d -> d.containsKey("ver") ? d.getInt("ver") : d.getInt("version")).toList();
            assertThat(versions).as(channel).hasSize(channel.startsWith("workspace") ? 30 : 20).isSorted();
        }
    }

    @Test
    void fiveHundredsAreRetriedWithBackoffAndDeliveredOnce() {
        CentrifugoClient transport = client(Map.of());
        centrifugo.failNext(2, 503);

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2)), Delivery.toSeance("s2", viewDiff(2))));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 2);
        assertThat(centrifugo.requests()).hasSize(3).extracting(FakeCentrifugo.Request::path).containsOnly("/api/batch");
        assertThat(transport.stats().retries()).isEqualTo(2);
        assertThat(transport.stats().dropped()).isZero();
        assertThat(transport.state()).isEqualTo("up");
    }

    @Test
    void aTimedOutRequestIsRetried() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.REQUEST_TIMEOUT_MS, "200"));
        centrifugo.delayNext(1, Duration.ofMillis(1_000));

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2))));

        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().published() == 1);
        assertThat(transport.stats().retries()).isEqualTo(1);
        assertThat(centrifugo.publicationsTo("views:s1")).isNotEmpty()
                .allSatisfy(p -> assertThat(p.data()).isEqualTo(viewDiff(2).toJsonObject()));
    }

    @Test
    void whenRetriesRunOutTheChannelsGetResyncOnceCentrifugoIsBack() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.MAX_RETRIES, "1"));
        centrifugo.failNext(2, 502);

        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 2)), Delivery.toSeance("s1", viewDiff(2))));

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 2);
        assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::channel)
                .containsExactly("workspace:acme", "views:s1");
        assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::data)
                .containsOnly(resync("transport_error"));
        assertThat(transport.stats().dropped()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().resyncs() == 2);
        assertThat(transport.state()).isEqualTo("up");
    }

    @Test
    void whileCentrifugoIsDownTheStateIsDownAndLaterMessagesWaitForTheResync() {
        clock = clockMs::get;
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.MAX_RETRIES, "0"));
        centrifugo.failNext(1, 500);

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2))));
        await().atMost(Duration.ofSeconds(5)).until(() -> "down".equals(transport.state()));
        assertThat(transport.lastError()).hasValueSatisfying(e -> assertThat(e).contains("HTTP 500"));
        // the transport's clock stands still: the resync waits for its backoff, later messages are superseded
        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(3))));
        assertThat(transport.stats().pendingResyncs()).isEqualTo(1);
        assertThat(transport.stats().dropped()).isEqualTo(2);

        clockMs.addAndGet(60_000);
        // the backoff is over: the resync goes out — on this publish, which it supersedes (dropped), or already on
        // the transport's own retry timer, in which case this message follows it; never before it
        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(4))));
        await().atMost(Duration.ofSeconds(5)).until(() -> "up".equals(transport.state()));
        assertThat(centrifugo.publications()).first()
                .isEqualTo(new FakeCentrifugo.Publication("views:s1", resync("transport_error")));
        assertThat(centrifugo.publications().subList(1, centrifugo.publications().size()))
                .allSatisfy(p -> assertThat(p.data()).isEqualTo(viewDiff(4).toJsonObject()));
        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(5))));
        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().stream()
                .anyMatch(p -> p.data().equals(viewDiff(5).toJsonObject())));
        assertThat(centrifugo.publications()).last().satisfies(p -> assertThat(p.data()).isEqualTo(viewDiff(5).toJsonObject()));
    }

    @Test
    void messagesQueuedBehindAFailedRequestAreSupersededByTheResync() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.MAX_RETRIES, "0",
                CentrifugoSettings.MAX_IN_FLIGHT, "1"));
        centrifugo.failNext(1, 503);

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2)), Delivery.toSeance("s2", viewDiff(2))));
        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(3)), Delivery.toSeance("s3", viewDiff(3))));

        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().resyncs() == 2
                && transport.stats().published() == 1);
        assertThat(centrifugo.publicationsTo("views:s1")).extracting(FakeCentrifugo.Publication::data)
                .containsExactly(resync("transport_error"));
        assertThat(centrifugo.publicationsTo("views:s3")).extracting(FakeCentrifugo.Publication::data)
                .containsExactly(viewDiff(3).toJsonObject());
        assertThat(transport.stats().dropped()).isEqualTo(3);
    }

    @Test
    void anErrorInA200BodyIsCountedNotRetriedAndResynced() {
        CentrifugoClient transport = client(Map.of());
        centrifugo.errorNext(1, 100, "internal server error");

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2)), Delivery.toSeance("s2", viewDiff(2))));

        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().resyncs() == 2);
        assertThat(transport.stats().apiErrors()).isEqualTo(1);
        assertThat(transport.stats().retries()).isZero();
        assertThat(centrifugo.requests()).hasSize(2); // the refused batch, then the resync broadcast
        assertThat(centrifugo.publications()).containsExactly(
                new FakeCentrifugo.Publication("views:s1", resync("transport_error")),
                new FakeCentrifugo.Publication("views:s2", resync("transport_error")));
    }

    @Test
    void aRefusedCommandInsideABatchIsCountedAndTheOthersAreDelivered() {
        CentrifugoClient transport = client(Map.of());
        centrifugo.refuseChannel("views:s2", 102, "unknown channel");

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2)), Delivery.toSeance("s2", viewDiff(5)),
                Delivery.toWorkspace("acme", tableDiff("t1", 3))));

        // the resync owed to s2 is refused too: counted and dropped, never retried in a loop
        await().atMost(Duration.ofSeconds(5)).until(() -> transport.stats().apiErrors() == 2);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> centrifugo.requests().size() == 2);
        assertThat(centrifugo.publications()).extracting(FakeCentrifugo.Publication::channel)
                .containsExactly("views:s1", "workspace:acme");
        assertThat(transport.stats().published()).isEqualTo(2);
        assertThat(transport.stats().dropped()).isEqualTo(2);
    }

    @Test
    void aWrongKeyIsRefusedWithoutRetries() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.API_KEY, "wrong"));

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2))));

        await().atMost(Duration.ofSeconds(5)).until(() -> "down".equals(transport.state()));
        assertThat(transport.lastError()).hasValueSatisfying(e -> assertThat(e).contains("HTTP 401"));
        assertThat(transport.stats().retries()).isZero();
        assertThat(centrifugo.publications()).isEmpty();
    }

    @Test
    void overflowDropsNewInvalidationsWithoutBlockingAndResyncsTheirChannels() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.QUEUE_LIMIT, "2",
                CentrifugoSettings.MAX_IN_FLIGHT, "1"));
        centrifugo.delayNext(1, Duration.ofMillis(500)); // a slow Centrifugo: the first request holds the line

        for (int i = 1; i <= 6; i++) {
            transport.publish(List.of(Delivery.toSeance("s" + i, viewDiff(1))));
        }
        assertThat(centrifugo.handled()).as("publish returned before the slow request was answered").isZero();
        assertThat(transport.stats().queued()).isEqualTo(2);
        assertThat(transport.stats().pendingResyncs()).isEqualTo(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 6);
        assertThat(centrifugo.publications()).containsExactly(
                new FakeCentrifugo.Publication("views:s1", viewDiff(1).toJsonObject()),
                new FakeCentrifugo.Publication("views:s2", viewDiff(1).toJsonObject()),
                new FakeCentrifugo.Publication("views:s3", viewDiff(1).toJsonObject()),
                new FakeCentrifugo.Publication("views:s4", resync("transport_overflow")),
                new FakeCentrifugo.Publication("views:s5", resync("transport_overflow")),
                new FakeCentrifugo.Publication("views:s6", resync("transport_overflow")));
        assertThat(transport.stats().dropped()).isEqualTo(3);
    }

    @Test
    void aDroppedTableDiffResyncsTheWholeWorkspaceChannel() {
        CentrifugoClient transport = client(Map.of(CentrifugoSettings.QUEUE_LIMIT, "1",
                CentrifugoSettings.MAX_IN_FLIGHT, "1"));
        centrifugo.delayNext(1, Duration.ofMillis(300));

        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 1))));
        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 2))));
        transport.publish(List.of(Delivery.toWorkspace("acme", tableDiff("t1", 3)))); // queue full: dropped

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.publications().size() == 3);
        assertThat(centrifugo.publicationsTo("workspace:acme")).extracting(FakeCentrifugo.Publication::data)
                .containsExactly(tableDiff("t1", 1).toJsonObject(), tableDiff("t1", 2).toJsonObject(),
                        resync("transport_overflow"));
    }

    @Test
    void disconnectSeanceDisconnectsTheCentrifugoUserNamedLikeTheSeance() {
        CentrifugoClient transport = client(Map.of());

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2))));
        transport.disconnectSeance("s1");

        await().atMost(Duration.ofSeconds(5)).until(() -> centrifugo.disconnects().size() == 1);
        FakeCentrifugo.Request request = centrifugo.requests().get(centrifugo.requests().size() - 1);
        assertThat(request.path()).isEqualTo("/api/disconnect");
        assertThat(request.header("X-API-Key")).isEqualTo(KEY);
        assertThat(request.json()).isEqualTo(Json.createObjectBuilder().add("user", "s1")
                .add("disconnect", Json.createObjectBuilder().add("code", 4001).add("reason", "seance closed"))
                .build());
        assertThat(centrifugo.publicationsTo("views:s1")).hasSize(1); // the push went first
    }

    @Test
    void afterCloseNothingIsSent() {
        CentrifugoClient transport = client(Map.of());
        transport.close();

        transport.publish(List.of(Delivery.toSeance("s1", viewDiff(2))));

        assertThat(transport.state()).isEqualTo("stopped");
        assertThat(transport.stats().dropped()).isEqualTo(1);
        assertThat(centrifugo.requests()).isEmpty();
    }

    @Test
    void emptyPublishSendsNothing() {
        CentrifugoClient transport = client(Map.of());
        transport.publish(new ArrayList<>());
        assertThat(transport.stats().requests()).isZero();
    }
}
