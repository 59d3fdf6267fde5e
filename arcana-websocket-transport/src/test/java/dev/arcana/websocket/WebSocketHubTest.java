package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Identity;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.IdentityRequest;
import dev.arcana.api.spi.Push;
import dev.arcana.api.spi.PushType;
import dev.arcana.websocket.Fakes.FakeArcana;
import dev.arcana.websocket.Fakes.FakeSink;
import dev.arcana.websocket.Fakes.ManualTimers;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The transport's core end to end, with fake sessions, a fake engine and a manual clock. */
class WebSocketHubTest {
    private static final String RESYNC = "{\"type\":\"resync\",\"data\":{\"reason\":\"slow_consumer\"}}";

    private final ManualTimers timers = new ManualTimers();
    private final FakeArcana engine = new FakeArcana();
    private final Map<String, String> settings = new HashMap<>(Map.of(
            WebSocketSettings.QUEUE_LIMIT, "5",
            WebSocketSettings.GRACE_PERIOD_MS, "30000",
            WebSocketSettings.HEARTBEAT_MS, "1000",
            WebSocketSettings.SEND_TIMEOUT_MS, "2000",
            WebSocketSettings.AUTH_TIMEOUT_MS, "3000",
            WebSocketSettings.MAX_FRAME_BYTES, "256"));
    /** The demo resolver: seance/user/workspace query parameters, or a token "seance:user:workspace". */
    private Function<IdentityRequest, Optional<Identity>> resolver = request -> {
        if (request.token().isPresent()) {
            String[] parts = request.token().get().split(":");
            return parts.length == 3 ? Optional.of(new Identity(parts[0], parts[1], parts[2])) : Optional.empty();
        }
        Optional<String> seance = request.queryParameter("seance");
        Optional<String> user = request.queryParameter("user");
        Optional<String> workspace = request.queryParameter("workspace");
        return seance.isPresent() && user.isPresent() && workspace.isPresent()
                ? Optional.of(new Identity(seance.get(), user.get(), workspace.get())) : Optional.empty();
    };
    private WebSocketHub hub;

    private WebSocketHub hub() {
        if (hub == null) {
            hub = new WebSocketHub(WebSocketSettings.of(settings), () -> engine,
                    dev.arcana.ee.IdentityResolution.of(r -> resolver.apply(r)), timers,
                    Runnable::run, Runnable::run);
            hub.start();
        }
        return hub;
    }

    @AfterEach
    void shutdown() {
        if (hub != null) {
            hub.shutdown(1_000);
        }
    }

    private static HandshakeIdentityRequest query(String seance, String user, String workspace) {
        return HandshakeIdentityRequest.of(Map.of(),
                Map.of("seance", List.of(seance), "user", List.of(user), "workspace", List.of(workspace)), null);
    }

    private Connection open(FakeSink sink, String seance, String user, String workspace) {
        return hub().open("c-" + seance + "-" + sink.hashCode(), sink, query(seance, user, workspace));
    }

    private static Push push(String name) {
        return new Push(PushType.TABLE_DIFF, Json.createObjectBuilder().add("n", name).build());
    }

    @Test
    void workspacePushesReachOnlyThatWorkspaceAndSeancePushesOnlyThatSeance() {
        FakeSink acme1 = FakeSink.auto();
        FakeSink acme2 = FakeSink.auto();
        FakeSink globex = FakeSink.auto();
        open(acme1, "s1", "u1", "acme");
        open(acme2, "s2", "u2", "acme");
        open(globex, "s3", "u3", "globex");

        Push rows = push("row");
        Push view = push("view");
        hub().publish(List.of(Delivery.toWorkspace("acme", rows), Delivery.toSeance("s2", view)));

        assertThat(acme1.texts()).containsExactly(rows.json());
        assertThat(acme2.texts()).containsExactly(rows.json(), view.json());
        assertThat(globex.texts()).isEmpty();
    }

    @Test
    void aHandshakeWithoutIdentityWaitsForAnAuthFrame() {
        FakeSink sink = FakeSink.auto();
        Connection connection = hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);
        hub().publish(List.of(Delivery.toWorkspace("acme", push("before"))));
        assertThat(sink.sent).isEmpty();
        assertThat(hub().stats().authenticated()).isZero();

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"s1:u1:acme\"}", true);
        hub().publish(List.of(Delivery.toWorkspace("acme", push("after"))));

        assertThat(sink.texts()).containsExactly("{\"reply_to\":\"1\",\"type\":\"ok\"}", push("after").json());
        assertThat(sink.closes).isEmpty();
        assertThat(hub().stats().authenticated()).isEqualTo(1);
    }

    @Test
    void aFirstFrameOtherThanAuthClosesWith1008() {
        FakeSink sink = FakeSink.auto();
        Connection connection = hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);

        connection.onText("{\"id\":\"1\",\"type\":\"subscribe\",\"view\":\"user_list\"}", true);

        assertThat(sink.closes).containsExactly("1008 authentication required");
        assertThat(engine.calls).isEmpty();
        assertThat(hub().stats().connections()).isZero();
    }

    @Test
    void anUnreadableFirstFrameClosesWith1008NamingTheProblem() {
        FakeSink sink = FakeSink.auto();
        Connection connection = hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":" + "[".repeat(100), true);

        assertThat(sink.closes).containsExactly("1008 bad_request: frame nests deeper than 64 levels");
        assertThat(hub().stats().connections()).isZero();
    }

    @Test
    void aDuplicateTokenInTheAuthFrameIsRefusedNotResolved() {
        FakeSink sink = FakeSink.auto();
        Connection connection = hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"a\",\"token\":\"b\"}", true);

        assertThat(sink.closes).containsExactly("1008 bad_request: frame has the key 'token' twice");
        assertThat(hub().stats().authenticated()).isZero();
    }

    @Test
    void closeReasonsAreCutTo123Bytes() {
        String reason = Connection.closeReason("é".repeat(100));
        assertThat(reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        assertThat(reason).startsWith("éé").endsWith("…");
        assertThat(Connection.closeReason("short")).isEqualTo("short");
    }

    @Test
    void aRefusedTokenClosesWith1008() {
        FakeSink sink = FakeSink.auto();
        Connection connection = hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"garbage\"}", true);

        assertThat(sink.closes).containsExactly("1008 authentication failed");
        assertThat(sink.sent).isEmpty();
    }

    @Test
    void withoutAResolverEveryConnectionIsRefused() {
        resolver = request -> Optional.empty();
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"s1:u1:acme\"}", true);

        assertThat(sink.closes).containsExactly("1008 authentication failed");
    }

    @Test
    void aThrowingResolverRefusesTheConnection() {
        resolver = request -> {
            throw new IllegalArgumentException("seanceId must not be blank");
        };
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");
        assertThat(connection.identity()).isNull();

        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"x\"}", true);

        assertThat(sink.closes).containsExactly("1008 authentication failed");
    }

    @Test
    void aResolverRefusalKeepsItsCodeInTheCloseReason() {
        resolver = request -> {
            throw new dev.arcana.api.ArcanaException(dev.arcana.api.ErrorCode.FORBIDDEN, "account locked");
        };
        FakeSink handshake = FakeSink.auto();
        open(handshake, "s1", "u1", "acme");
        assertThat(handshake.closes).containsExactly("1008 forbidden: account locked");

        resolver = request -> request.token().isPresent()
                ? failWith(new dev.arcana.api.ArcanaException(dev.arcana.api.ErrorCode.UNAUTHORIZED, "token expired"))
                : Optional.empty();
        FakeSink frame = FakeSink.auto();
        Connection connection = hub().open("c2", frame, HandshakeIdentityRequest.EMPTY);
        connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"old\"}", true);
        assertThat(frame.closes).containsExactly("1008 unauthorized: token expired");
    }

    @Test
    void aThrowingResolverIsLoggedOnceNotPerConnection() {
        resolver = request -> {
            throw new IllegalStateException("broken resolver");
        };
        java.util.List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(
                dev.arcana.ee.IdentityResolution.class.getName());
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        try {
            for (int i = 0; i < 5; i++) {
                FakeSink sink = FakeSink.auto();
                Connection connection = hub().open("c" + i, sink, HandshakeIdentityRequest.EMPTY);
                connection.onText("{\"id\":\"1\",\"type\":\"auth\",\"token\":\"x\"}", true);
                assertThat(sink.closes).containsExactly("1008 authentication failed");
            }
        } finally {
            logger.removeHandler(handler);
        }
        assertThat(warnings).hasSize(1);
    }

    private static <T> T failWith(RuntimeException e) {
        throw e;
    }

    @Test
    void aConnectionThatNeverAuthenticatesIsClosedAfterTheAuthTimeout() {
        FakeSink sink = FakeSink.auto();
        hub().open("c1", sink, HandshakeIdentityRequest.EMPTY);

        timers.advance(2_999);
        assertThat(sink.closes).isEmpty();
        timers.advance(1_000); // the next sweep after 3 s
        assertThat(sink.closes).containsExactly("1008 authentication timeout");
    }

    @Test
    void framesAreAnsweredWithReplyTo() {
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");

        connection.onText("{\"id\":\"1\",\"type\":\"ping\"}", true);
        connection.onText("{\"id\":\"2\",\"type\":\"nope\"}", true);
        connection.onText("{\"id\":\"3\",", true);
        connection.onText("{\"type\":\"ping\"}", true);
        connection.onText("{\"id\":\"4\",\"type\":\"ping\",\"pad\":\"" + "x".repeat(300) + "\"}", true);
        connection.onText("{\"id\":\"5\",\"type\":\"auth\",\"token\":\"other:u:w\"}", true);

        assertThat(sink.texts()).containsExactly(
                "{\"reply_to\":\"1\",\"type\":\"pong\"}",
                "{\"reply_to\":\"2\",\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"unknown frame type 'nope'\",\"error\":\"unknown frame type 'nope'\"}",
                "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"frame is not valid JSON\",\"error\":\"frame is not valid JSON\"}",
                "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"'id' is required\",\"error\":\"'id' is required\"}",
                "{\"type\":\"error\",\"code\":\"too_large\",\"message\":\"frame exceeds 256 bytes\",\"error\":\"frame exceeds 256 bytes\"}",
                "{\"reply_to\":\"5\",\"type\":\"ok\"}");
        assertThat(connection.identity().seanceId()).isEqualTo("s1"); // auth does not change the identity
        assertThat(sink.closes).isEmpty();
    }

    @Test
    void binaryFramesAreABadRequest() {
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");

        connection.onBinary(false);
        connection.onBinary(true);

        assertThat(sink.texts()).containsExactly(
                "{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"binary frames are not supported\",\"error\":\"binary frames are not supported\"}");
    }

    @Test
    void pushesPublishedWhileASubscribeRunsFollowItsReply() {
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");
        Push diff = push("view_diff v2");
        engine.duringSubscribe = () -> hub().publish(List.of(Delivery.toSeance("s1", diff)));

        connection.onText("{\"id\":\"1\",\"type\":\"subscribe\",\"view\":\"task_list\"}", true);

        assertThat(sink.texts()).hasSize(2);
        assertThat(sink.texts().get(0)).startsWith("{\"reply_to\":\"1\",\"type\":\"snapshot\",\"view\":\"task_list\"");
        assertThat(sink.texts().get(1)).isEqualTo(diff.json());
    }

    @Test
    void aMutationsReplyFollowsThePushesItCausedWhichAreNotHeldBackWhileItRuns() {
        FakeSink sink = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");
        Push viewDiff = push("view_diff of s1");
        Push tableDiff = push("table_diff of acme");
        List<String> sentWhileTheHandlerRan = new ArrayList<>();
        engine.duringMutate = () -> {
            hub().publish(List.of(Delivery.toSeance("s1", viewDiff), Delivery.toWorkspace("acme", tableDiff)));
            sentWhileTheHandlerRan.addAll(sink.texts());
        };

        connection.onText("{\"id\":\"1\",\"type\":\"mutate\",\"action\":\"add_task\"}", true);

        assertThat(sentWhileTheHandlerRan).containsExactly(viewDiff.json(), tableDiff.json());
        assertThat(sink.texts()).containsExactly(viewDiff.json(), tableDiff.json(),
                "{\"reply_to\":\"1\",\"type\":\"mutate_ok\",\"data\":null,\"views\":[],\"rows\":[],\"replayed\":false}");
    }

    @Test
    void aClientThatStopsReadingIsShedWithoutDelayingOthers() {
        FakeSink stuck = new FakeSink(); // never completes a send
        FakeSink healthy = FakeSink.auto();
        open(stuck, "slow", "u1", "acme");
        open(healthy, "fast", "u2", "acme");

        for (int i = 0; i < 1_000; i++) {
            hub().publish(List.of(Delivery.toWorkspace("acme", push("p" + i))));
            assertThat(hub().stats().queuedMessages()).isLessThanOrEqualTo(5);
        }

        assertThat(healthy.texts()).hasSize(1_000);
        assertThat(stuck.sent).containsExactly(push("p0").json()); // then 5 queued, then shed
        assertThat(hub().seance("slow")).isEmpty(); // no more pushes for it
        assertThat(hub().stats().shed()).isEqualTo(1);
        assertThat(stuck.closes).isEmpty(); // waiting for the send in flight, but not forever:
        timers.advance(2_000);
        assertThat(stuck.closes).containsExactly("1013 slow consumer");
        assertThat(hub().stats().connections()).isEqualTo(1);
        assertThat(healthy.closes).isEmpty();
    }

    @Test
    void aShedClientThatStillReadsGetsResyncThenClose1013() {
        FakeSink slow = new FakeSink();
        open(slow, "slow", "u1", "acme");
        for (int i = 0; i < 7; i++) { // 1 in flight + 5 queued + 1 overflow
            hub().publish(List.of(Delivery.toWorkspace("acme", push("p" + i))));
        }

        slow.completeNext(); // p0 written: the resync goes next, the queued pushes are dropped
        slow.completeNext();

        assertThat(slow.texts()).containsExactly(push("p0").json(), RESYNC);
        assertThat(slow.closes).containsExactly("1013 slow consumer");
    }

    @Test
    void aSendStuckPastTheSendTimeoutClosesWith1013() {
        FakeSink stuck = new FakeSink();
        open(stuck, "s1", "u1", "acme");
        hub().publish(List.of(Delivery.toSeance("s1", push("p"))));

        timers.advance(1_999);
        assertThat(stuck.closes).isEmpty();
        timers.advance(1_000);

        assertThat(stuck.closes).containsExactly("1013 send timeout");
        assertThat(hub().stats().sendTimeouts()).isEqualTo(1);
        assertThat(hub().stats().connections()).isZero();
    }

    @Test
    void theSeanceIsReleasedWhenNoConnectionReturnsWithinTheGracePeriod() {
        Connection connection = open(FakeSink.auto(), "s1", "u1", "acme");
        hub().closed(connection);

        timers.advance(29_999);
        assertThat(engine.released).isEmpty();
        timers.advance(1);
        assertThat(engine.released).containsExactly("s1");
    }

    @Test
    void aReconnectWithinTheGracePeriodCanSyncAndNothingIsReleased() {
        settings.put(WebSocketSettings.HEARTBEAT_MS, "0");
        Connection old = open(FakeSink.auto(), "s1", "u1", "acme");
        hub().closed(old);
        timers.advance(10_000);

        FakeSink sink = FakeSink.auto();
        Connection fresh = open(sink, "s1", "u1", "acme");
        fresh.onText("{\"id\":\"1\",\"type\":\"sync\",\"views\":[{\"view\":\"v\",\"params_hash\":\"h\",\"version\":2}]}",
                true);
        timers.advance(60_000);

        assertThat(engine.released).isEmpty();
        assertThat(sink.texts().get(0)).startsWith("{\"reply_to\":\"1\",\"type\":\"sync_result\"");
    }

    @Test
    void twoTabsOfOneSeanceBothReceiveItsPushesAndClosingOneKeepsTheOther() {
        settings.put(WebSocketSettings.HEARTBEAT_MS, "0");
        FakeSink tab1 = FakeSink.auto();
        FakeSink tab2 = FakeSink.auto();
        Connection first = open(tab1, "s1", "u1", "acme");
        open(tab2, "s1", "u1", "acme");

        hub().publish(List.of(Delivery.toSeance("s1", push("a"))));
        hub().closed(first);
        hub().publish(List.of(Delivery.toSeance("s1", push("b"))));
        timers.advance(60_000);

        assertThat(tab1.texts()).containsExactly(push("a").json());
        assertThat(tab2.texts()).containsExactly(push("a").json(), push("b").json());
        assertThat(engine.released).isEmpty();
    }

    @Test
    void anotherUserClaimingAConnectedSeanceIsRefusedWith1008() {
        open(FakeSink.auto(), "s1", "alice", "acme");
        FakeSink intruder = FakeSink.auto();
        open(intruder, "s1", "mallory", "globex");

        assertThat(intruder.closes).containsExactly("1008 seance belongs to another identity");
        hub().publish(List.of(Delivery.toSeance("s1", push("private"))));
        assertThat(intruder.sent).isEmpty();
    }

    @Test
    void aSeanceTheEngineRefusesIsClosedWith1008BeforeItIsRegistered() {
        engine.foreignSeances.add("s-http-only"); // e.g. subscribed over HTTP by another identity
        FakeSink intruder = FakeSink.auto();
        open(intruder, "s-http-only", "mallory", "globex");

        assertThat(engine.calls).contains("claim s-http-only");
        assertThat(intruder.closes).containsExactly("1008 seance belongs to another identity");
        hub().publish(List.of(Delivery.toSeance("s-http-only", push("private"))));
        assertThat(intruder.sent).isEmpty();
        assertThat(hub().holdsSeance("s-http-only")).isFalse();
    }

    @Test
    void heartbeatsPingAndSilentConnectionsAreClosed() {
        FakeSink silent = FakeSink.auto();
        FakeSink alive = FakeSink.auto();
        open(silent, "s1", "u1", "acme");
        Connection answering = open(alive, "s2", "u2", "acme");

        for (int i = 0; i < 5; i++) {
            timers.advance(500);
            answering.onPong();
        }
        assertThat(silent.sent).contains("<ping>");
        assertThat(silent.closes).isEmpty();
        timers.advance(500); // 3 s (3 heartbeats) without anything from it

        assertThat(silent.closes).containsExactly("1001 idle timeout");
        assertThat(alive.closes).isEmpty();
        assertThat(alive.sent).contains("<ping>");
    }

    @Test
    void disconnectSeanceClosesEveryConnectionOfItWith1001() {
        FakeSink tab1 = FakeSink.auto();
        FakeSink tab2 = FakeSink.auto();
        FakeSink other = FakeSink.auto();
        open(tab1, "s1", "u1", "acme");
        open(tab2, "s1", "u1", "acme");
        open(other, "s2", "u2", "acme");

        hub().disconnectSeance("s1");

        assertThat(tab1.closes).containsExactly("1001 disconnected by the server");
        assertThat(tab2.closes).containsExactly("1001 disconnected by the server");
        assertThat(other.closes).isEmpty();
    }

    @Test
    void shutdownClosesEverythingWith1001AndRefusesNewConnections() {
        FakeSink sink = FakeSink.auto();
        FakeSink waiting = FakeSink.auto();
        Connection connection = open(sink, "s1", "u1", "acme");
        hub().open("c2", waiting, HandshakeIdentityRequest.EMPTY);
        hub().closed(connection); // s1 in grace

        assertThat(hub().shutdown(1_000)).isZero();
        timers.advance(60_000);
        FakeSink late = FakeSink.auto();
        hub().open("c3", late, query("s9", "u9", "acme"));

        assertThat(waiting.closes).containsExactly("1001 server shutting down");
        assertThat(late.closes).containsExactly("1001 server shutting down");
        assertThat(engine.released).isEmpty(); // the engine releases everything itself when it stops
        assertThat(hub().stats().connections()).isZero();
    }

    @Test
    void requestsBeyondTheInFlightCapAreRefusedWithTooManyRequestsAndTheConnectionStaysOpen() {
        settings.put(WebSocketSettings.MAX_REQUESTS_IN_FLIGHT, "3");
        settings.put(WebSocketSettings.QUEUE_LIMIT, "50");
        FakeSink slow = new FakeSink(); // reads, but slower than the client pipelines
        Connection connection = open(slow, "s1", "u1", "acme");
        for (int i = 1; i <= 6; i++) {
            connection.onText("{\"id\":" + i + ",\"type\":\"ping\"}", true);
        }
        // request 1's reply is on the wire, 2..4 wait (3 in flight): 5 and 6 are refused unrun
        while (slow.inFlight() > 0) {
            slow.completeNext();
        }
        assertThat(slow.texts()).containsExactly(
                "{\"reply_to\":1,\"type\":\"pong\"}",
                "{\"reply_to\":2,\"type\":\"pong\"}",
                "{\"reply_to\":3,\"type\":\"pong\"}",
                "{\"reply_to\":4,\"type\":\"pong\"}",
                "{\"reply_to\":5,\"type\":\"error\",\"code\":\"too_many_requests\",\"message\":\"more than 3 "
                        + "requests waiting for their replies on this connection; read the replies, then retry\","
                        + "\"error\":\"more than 3 requests waiting for their replies on this connection; read the "
                        + "replies, then retry\"}",
                "{\"reply_to\":6,\"type\":\"error\",\"code\":\"too_many_requests\",\"message\":\"more than 3 "
                        + "requests waiting for their replies on this connection; read the replies, then retry\","
                        + "\"error\":\"more than 3 requests waiting for their replies on this connection; read the "
                        + "replies, then retry\"}");
        assertThat(slow.closes).isEmpty();
        assertThat(connection.out().state()).isEqualTo(OutboundQueue.State.OPEN);
        assertThat(connection.out().pendingReplies()).isZero();

        connection.onText("{\"id\":7,\"type\":\"ping\"}", true); // replies read: requests run again
        slow.completeNext();
        assertThat(slow.texts()).last().isEqualTo("{\"reply_to\":7,\"type\":\"pong\"}");
        assertThat(hub().stats().shed()).isZero();
    }
}
