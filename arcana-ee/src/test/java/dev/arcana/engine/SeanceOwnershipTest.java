package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ActiveSubscription;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncRequest;
import dev.arcana.api.TableDependency;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.PushType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A seance belongs to the identity that created it: every call naming it from another identity is refused. */
class SeanceOwnershipTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final RecordingTransport transport = new RecordingTransport();
    private final Identity victim = new Identity("s-victim", "user-a", "acme");
    private final AtomicReference<String> title = new AtomicReference<>("first");
    private ArcanaEngine engine;

    @BeforeEach
    void start() {
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ZERO).build()).build();
        engine.register(Graph.builder("tasks")
                .param("limit", Param.integer().defaultValue(10))
                .dependsOn(TableDependency.of("tasks", "title"))
                .factory(ctx -> new Result().addRowAndRef("tasks", ctx.identity().workspaceId(),
                        Map.of("id", ctx.identity().workspaceId(), "title", title.get() + " of " + ctx.identity().workspaceId())))
                .build());
        engine.start();
    }

    @AfterEach
    void stop() {
        if (engine.isRunning()) {
            engine.stop();
        }
        executor.shutdownNow();
    }

    @Test
    void anotherUserInAnotherWorkspaceCanNeitherReadNorChangeTheSeance() {
        Snapshot held = engine.subscribe(victim, "tasks", Map.of("limit", 7));
        transport.clear();
        Identity intruder = new Identity("s-victim", "user-b", "globex");

        assertForbidden(() -> engine.active(intruder));
        assertForbidden(() -> engine.sync(intruder, List.of(new SyncRequest("tasks", held.paramsHash(), 0, null))));
        assertForbidden(() -> engine.unsubscribe(intruder, "tasks", held.paramsHash()));
        assertForbidden(() -> engine.subscribe(intruder, "tasks", Map.of("limit", 3)));
        assertForbidden(() -> engine.claimSeance(intruder));

        assertThat(engine.active(victim)).extracting(ActiveSubscription::paramsHash).containsExactly(held.paramsHash());
        assertThat(transport.all()).as("nothing was published for the intruder").isEmpty();
    }

    @Test
    void theSameUserInAnotherWorkspaceOrUnderAnotherBindingIsAnotherIdentity() {
        engine.subscribe(victim, "tasks", Map.of());

        assertForbidden(() -> engine.active(new Identity("s-victim", "user-a", "globex")));
        assertForbidden(() -> engine.subscribe(new Identity("s-victim", "user-a", "globex"), "tasks", Map.of()));
        assertForbidden(() -> engine.active(victim.withBinding("another-login")));
        assertThat(engine.active(new Identity("s-victim", "user-a", "acme", "admin", Set.of("x"))))
                .as("role and permissions may change within the seance").hasSize(1);
    }

    @Test
    void aForeignSubscribeWhileTheVictimIsLivePushesNothingToTheVictimsSeance() {
        engine.subscribe(victim, "tasks", Map.of());
        transport.clear();

        assertForbidden(() -> engine.subscribe(new Identity("s-victim", "user-b", "globex"), "tasks", Map.of("limit", 1)));
        title.set("second");
        engine.notify(Change.update("tasks", "acme", null, "title"));
        Quiescence.await(engine, Duration.ofSeconds(5));

        assertThat(transport.all()).extracting(Delivery::target).contains("acme").allMatch(t -> t.equals("acme") || t.equals("s-victim"));
        assertThat(transport.all()).extracting(d -> d.push().json()).noneMatch(json -> json.contains("globex"));
        assertThat(engine.stats().queryInstances()).as("the refused subscribe made no instance").isEqualTo(1);
    }

    @Test
    void aClaimedSeanceStaysItsOwnersWhileEmptyUntilReleased() {
        engine.claimSeance(victim);
        Snapshot snapshot = engine.subscribe(victim, "tasks", Map.of());
        engine.unsubscribe(victim, "tasks", snapshot.paramsHash());

        Identity intruder = new Identity("s-victim", "user-b", "globex");
        assertForbidden(() -> engine.subscribe(intruder, "tasks", Map.of()));

        engine.releaseSeance("s-victim");
        engine.claimSeance(intruder);
        assertForbidden(() -> engine.active(victim));
    }

    @Test
    void anUnclaimedSeanceIsRetiredWhenItsLastSubscriptionGoesSoItsIdIsFreeAgain() {
        Snapshot snapshot = engine.subscribe(victim, "tasks", Map.of());
        engine.unsubscribe(victim, "tasks", snapshot.paramsHash());

        Identity next = new Identity("s-victim", "user-b", "globex");
        engine.subscribe(next, "tasks", Map.of());
        assertThat(transport.toSeance("s-victim", PushType.VIEW_DIFF)).isEmpty();
        assertThat(engine.active(next)).hasSize(1);
    }

    @Test
    void theFirstLoadOfANewViewDoesNotHoldTheSeancesOtherCalls() throws Exception {
        restartWithSlowAndFastViews();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Snapshot> slow = caller.submit(() -> engine.subscribe(victim, "slow", Map.of()));
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();

            // the seance's monitor is free while "slow" loads: these answer at once
            assertThat(engine.subscribe(victim, "fast", Map.of()).refs()).hasSize(1);
            assertThat(engine.active(victim)).extracting(ActiveSubscription::view).containsExactly("fast");
            assertForbidden(() -> engine.subscribe(new Identity("s-victim", "user-b", "globex"), "fast", Map.of()));

            finish.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS).refs()).hasSize(1);
            assertThat(engine.active(victim)).extracting(ActiveSubscription::view).containsExactlyInAnyOrder("fast", "slow");
        } finally {
            finish.countDown();
            caller.shutdownNow();
        }
    }

    @Test
    void aSeanceReleasedWhileItsSubscribeLoadsEndsWithoutLeaks() throws Exception {
        restartWithSlowAndFastViews();
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Snapshot> slow = caller.submit(() -> engine.subscribe(victim, "slow", Map.of()));
            assertThat(loading.await(5, TimeUnit.SECONDS)).isTrue();
            engine.releaseSeance("s-victim"); // returns at once: the load runs outside the seance's monitor
            finish.countDown();

            // the subscribe retries on a fresh seance of the same owner and answers
            assertThat(slow.get(5, TimeUnit.SECONDS).refs()).hasSize(1);
            assertThat(engine.active(victim)).hasSize(1);
            assertThat(engine.stats().queryInstances()).isEqualTo(1);
        } finally {
            finish.countDown();
            caller.shutdownNow();
        }
    }

    /** Latches of the "slow" view: its first load signals {@code loading}, then waits for {@code finish}. */
    private final CountDownLatch loading = new CountDownLatch(1);
    private final CountDownLatch finish = new CountDownLatch(1);

    private void restartWithSlowAndFastViews() {
        engine.stop();
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ZERO).build()).build();
        engine.register(Graph.builder("slow").dependsOn(TableDependency.of("tasks", "title")).factory(ctx -> {
            loading.countDown();
            finish.await(10, TimeUnit.SECONDS);
            return new Result().addRowAndRef("tasks", "1", Map.of("id", "1"));
        }).build());
        engine.register(Graph.builder("fast").dependsOn(TableDependency.of("tasks", "title"))
                .factory(ctx -> new Result().addRowAndRef("tasks", "2", Map.of("id", "2"))).build());
        engine.start();
    }

    private static void assertForbidden(ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
                    assertThat(e.code().httpStatus()).isEqualTo(403);
                })
                .hasMessage("this seance belongs to another identity");
    }
}
