package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.ForbiddenException;
import dev.arcana.api.Identity;
import dev.arcana.api.Mutation;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationResult;
import dev.arcana.api.Param;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.spi.PushType;
import dev.arcana.engine.testing.TestDatabase;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write path against a real PostgreSQL without a detector (explicit mode): strict params,
 * authorization, the transaction, the fast path's pushes before the reply, exactly once per
 * seance (also under concurrent retries), and the caps.
 */
class EngineMutationTest {
    private static final String ALICE = "00000000-0000-0000-0000-0000000000a1";
    private static final String GLOBEX_DAN = "00000000-0000-0000-0000-0000000000d4";
    private static final Map<String, Object> PARAMS = Map.of("org_id", UserListFixture.ORG.toString(), "limit", 20);

    private static ScheduledExecutorService executor;
    private static TestDatabase.IsolatedSchema schema;

    private final Identity acme = new Identity("s1", "u1", "acme");
    private final Identity acmeOther = new Identity("s2", "u2", "acme");
    private final RecordingTransport transport = new RecordingTransport();
    private final UserListFixture fixture = new UserListFixture();
    /** Lets a test hold the {@code slow_insert} handler inside its transaction. */
    private volatile CountDownLatch release = new CountDownLatch(0);
    private final AtomicInteger slowCalls = new AtomicInteger();
    private ArcanaEngine engine;

    @BeforeAll
    static void createSchema() {
        executor = Executors.newScheduledThreadPool(2);
        schema = TestDatabase.get().isolatedSchema("mutate");
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @BeforeEach
    void seed() {
        schema.execute("drop table if exists users", UserListFixture.DDL,
                "insert into users values ('" + ALICE + "', 'acme', '" + UserListFixture.ORG + "', 'Alice', 'alice@acme.test', 'admin')",
                "insert into users values ('" + GLOBEX_DAN + "', 'globex', '" + UserListFixture.ORG + "', 'Dan', 'dan@globex.test', 'viewer')");
        engine = ArcanaEngine.builder().dataSource(schema.dataSource()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ofMillis(20))
                        .mutations(new EngineConfig.Mutations(2, 3, Duration.ofSeconds(2))).build())
                .build();
        engine.register(fixture.graph());
        engine.register(fixture.renameUser("rename_user", true));
        engine.register(slowInsert());
        engine.register(Mutation.builder("admin_only").requiresRole("admin").handler(ctx -> MutationResult.of(null)).build());
        engine.register(Mutation.builder("broken").handler(ctx -> {
            ctx.querier().update("update users set name = 'Broken' where id = ?", java.util.UUID.fromString(ALICE));
            throw new IllegalStateException("a bug in the handler");
        }).build());
        engine.start();
    }

    @AfterEach
    void stopEngine() {
        release.countDown();
        if (engine.isRunning()) {
            engine.stop();
        }
    }

    /** Inserts a user named {@code name} in the caller's workspace, waiting on {@link #release} inside its transaction. */
    private Mutation slowInsert() {
        return Mutation.builder("slow_insert").param("name", Param.string().required()).handler(ctx -> {
            slowCalls.incrementAndGet();
            String id = java.util.UUID.randomUUID().toString();
            ctx.querier().update("insert into users values (?::uuid, ?, ?, ?, ?, 'member')", id, ctx.workspaceId(),
                    UserListFixture.ORG, ctx.params().string("name"), id + "@test");
            if (!release.await(20, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
            return MutationResult.of(Json.createValue(id), Change.insert("users", id, ctx.workspaceId()));
        }).build();
    }

    private long usersNamed(String name) {
        try (var connection = schema.connect(); var statement = connection.prepareStatement(
                "select count(*) from users where name = ?")) {
            statement.setString(1, name);
            var rows = statement.executeQuery();
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theReplyComesAfterTheViewDiffOfTheCallersOwnViewAndNamesItsVersion() {
        var snapshot = engine.subscribe(acme, "user_list", PARAMS);
        engine.subscribe(acmeOther, "user_list", PARAMS);

        MutationOutcome outcome = engine.mutate(acme, "slow_insert", Map.of("name", "Zed"), "a:1");

        // explicit mode, no detector: only the fast path can have re-run the view, before the reply
        assertThat(transport.toSeance("s1", PushType.VIEW_DIFF)).singleElement()
                .satisfies(diff -> assertThat(diff.getInt("version")).isEqualTo(2));
        assertThat(transport.toSeance("s2", PushType.VIEW_DIFF)).hasSize(1);
        assertThat(outcome.views()).containsExactly(new MutationOutcome.ViewVersion("user_list", snapshot.paramsHash(), 2));
        assertThat(outcome.rows()).as("the new row reached the views inside their view_diffs, without a version")
                .isEmpty();
        assertThat(outcome.data()).isInstanceOf(jakarta.json.JsonString.class);
        assertThat(outcome.replayed()).isFalse();
        assertThat(outcome.mutationId()).isEqualTo("a:1");
    }

    @Test
    void aRetriedIdGetsTheFirstOutcomeAndRunsNothing() {
        MutationOutcome first = engine.mutate(acme, "slow_insert", Map.of("name", "Once"), "r:1");
        MutationOutcome again = engine.mutate(acme, "slow_insert", Map.of("name", "Once"), "r:1");

        assertThat(again.replayed()).isTrue();
        assertThat(again.data()).isEqualTo(first.data());
        assertThat(slowCalls).hasValue(1);
        assertThat(usersNamed("Once")).isEqualTo(1);
        // the same id in another seance is another mutation
        engine.mutate(acmeOther, "slow_insert", Map.of("name", "Once"), "r:1");
        assertThat(usersNamed("Once")).isEqualTo(2);
    }

    @Test
    void concurrentRetriesOfOneIdRunTheHandlerOnceAndAllGetItsOutcome() throws Exception {
        release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(6);
        try {
            List<Future<MutationOutcome>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                calls.add(callers.submit(() -> engine.mutate(acme, "slow_insert", Map.of("name", "Racer"), "c:1")));
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowCalls.get() == 1);
            release.countDown();
            List<MutationOutcome> outcomes = new ArrayList<>();
            for (Future<MutationOutcome> call : calls) {
                outcomes.add(call.get(20, TimeUnit.SECONDS));
            }
            assertThat(outcomes).extracting(MutationOutcome::data).containsOnly(outcomes.get(0).data());
            assertThat(outcomes).filteredOn(o -> !o.replayed()).hasSize(1);
        } finally {
            callers.shutdownNow();
        }
        assertThat(slowCalls).hasValue(1);
        assertThat(usersNamed("Racer")).isEqualTo(1);
    }

    @Test
    void anIdReusedForOtherParamsIsABadRequest() {
        engine.mutate(acme, "slow_insert", Map.of("name", "First"), "u:1");

        assertThatThrownBy(() -> engine.mutate(acme, "slow_insert", Map.of("name", "Second"), "u:1"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessageContaining("already used");
        assertThat(usersNamed("Second")).isZero();
    }

    @Test
    void paramsAreStrictAndChecksComeBeforeTheHandler() {
        assertThatThrownBy(() -> engine.mutate(acme, "slow_insert", Map.of("name", "X", "extra", 1), "p:1"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS))
                .hasMessageContaining("unknown param 'extra'");
        assertThatThrownBy(() -> engine.mutate(acme, "slow_insert", Map.of(), "p:2"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS));
        assertThatThrownBy(() -> engine.mutate(acme, "no_such_action", Map.of(), null))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThatThrownBy(() -> engine.mutate(new Identity("s1", "u1", "acme", "member", java.util.Set.of()), "admin_only", Map.of(), null))
                .isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> engine.mutate(acme, "slow_insert", Map.of("name", "X"), "bad id with spaces"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
        assertThatThrownBy(() -> engine.mutate(acme, "rename_user", Map.of("id", GLOBEX_DAN, "name", "Mine"), null))
                .as("another workspace's row").isInstanceOfSatisfying(ArcanaException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(slowCalls).hasValue(0);
        assertThat(engine.mutate(new Identity("s1", "u1", "acme", "admin", java.util.Set.of()), "admin_only", Map.of(), null).data())
                .isEqualTo(jakarta.json.JsonValue.NULL);
    }

    @Test
    void aFailingHandlerRollsBackAndAnswersInternalAndItsIdMayBeRetried() {
        engine.subscribe(acme, "user_list", PARAMS);
        int pushes = transport.all().size();

        assertThatThrownBy(() -> engine.mutate(acme, "broken", Map.of(), "b:1"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
                    assertThat(e.getMessage()).doesNotContain("a bug in the handler").doesNotContain("update users");
                });
        assertThat(usersNamed("Broken")).isZero();
        assertThat(transport.all()).hasSize(pushes);
        // not remembered: an internal error may be transient, the same id runs again
        assertThatThrownBy(() -> engine.mutate(acme, "broken", Map.of(), "b:1"))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL));
    }

    @Test
    void aSeanceMayRunOnlySoManyMutationsAtOnce() throws Exception {
        release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            Future<MutationOutcome> one = callers.submit(() -> engine.mutate(acme, "slow_insert", Map.of("name", "A"), "t:1"));
            Future<MutationOutcome> two = callers.submit(() -> engine.mutate(acme, "slow_insert", Map.of("name", "B"), "t:2"));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> slowCalls.get() == 2);

            assertThatThrownBy(() -> engine.mutate(acme, "slow_insert", Map.of("name", "C"), "t:3"))
                    .isInstanceOfSatisfying(ArcanaException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_REQUESTS));
            release.countDown();
            one.get(20, TimeUnit.SECONDS);
            two.get(20, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
        assertThat(engine.mutate(acme, "slow_insert", Map.of("name", "C"), "t:3").replayed())
                .as("the refused call left nothing behind: its id runs now").isFalse();
        assertThat(usersNamed("C")).isEqualTo(1);
    }

    @Test
    void onlyTheLastOutcomesAreRememberedPerSeance() {
        for (int i = 1; i <= 4; i++) { // the test engine remembers 3
            engine.mutate(acme, "slow_insert", Map.of("name", "N" + i), "n:" + i);
        }
        assertThat(engine.mutate(acme, "slow_insert", Map.of("name", "N4"), "n:4").replayed()).isTrue();
        assertThat(engine.mutate(acme, "slow_insert", Map.of("name", "N1"), "n:1").replayed())
                .as("forgotten: runs again").isFalse();
        assertThat(usersNamed("N1")).isEqualTo(2);
    }

    @Test
    void aForeignSeanceIsRefusedAndASeanceThatOnlyMutatedKeepsItsMemory() {
        engine.mutate(acme, "slow_insert", Map.of("name", "Mine"), "f:1");

        assertThatThrownBy(() -> engine.mutate(new Identity("s1", "intruder", "acme"), "slow_insert",
                Map.of("name", "Theirs"), "f:1")).isInstanceOf(ForbiddenException.class);
        assertThat(engine.mutate(acme, "slow_insert", Map.of("name", "Mine"), "f:1").replayed()).isTrue();
        assertThat(usersNamed("Theirs")).isZero();
    }

    @Test
    void theSchemaListsMutationsWithTheirParamsAndRequirements() {
        SchemaDescription schema = engine.schema();

        assertThat(schema.mutations()).containsKeys("rename_user", "slow_insert", "admin_only", "broken");
        assertThat(schema.mutations().get("rename_user").params()).containsKeys("id", "name");
        assertThat(schema.mutations().get("admin_only").requiredRoles()).containsExactly("admin");
    }
}
