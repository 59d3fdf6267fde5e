package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.MutationRejectedException;
import dev.arcana.api.Snapshot;
import dev.arcana.api.spi.ChangeDetector;
import dev.arcana.api.spi.Delivery;
import dev.arcana.api.spi.PushType;
import dev.arcana.engine.pg.DirectConnections;
import dev.arcana.engine.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every database change detector must do, against a real PostgreSQL: plain SQL writes on
 * another connection reach subscribed clients as the right pushes, untracked columns and other
 * workspaces run no factory, a 100-row transaction is never seen in part, and the detector's
 * backend being killed loses nothing. Each check ends with the clients equal to a fresh query.
 */
abstract class ChangeDetectionContract {
    static final String ACME_ALICE = "00000000-0000-4000-8000-0000000000a1";
    static final String ACME_BOB = "00000000-0000-4000-8000-0000000000b2";
    static final String GLOBEX_DAN = "00000000-0000-4000-8000-0000000000d4";
    static final Map<String, Object> PARAMS = Map.of("org_id", UserListFixture.ORG.toString(), "limit", 500);
    static final Duration DEADLINE = Duration.ofSeconds(20);

    static ScheduledExecutorService executor;
    static TestDatabase.IsolatedSchema schema;

    final RecordingTransport transport = new RecordingTransport();
    final UserListFixture fixture = new UserListFixture();
    final AssignedTasksFixture tasks = new AssignedTasksFixture();
    final Identity acme1 = new Identity("s1", "u1", "acme");
    final Identity acme2 = new Identity("s2", "u2", "acme");
    final Identity globex = new Identity("s3", "u3", "globex");
    ArcanaEngine engine;
    ChangeDetector detector;

    /** The detector under test, reading the engine's registered tables. */
    abstract ChangeDetector detector(DirectConnections connections, Registry registry);

    /** The application name of the detector's database session (to kill it). */
    abstract String backendApplicationName();

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    static DirectConnections connections() {
        TestDatabase db = TestDatabase.get();
        return new DirectConnections(db.jdbcUrl() + "?currentSchema=" + schema.name(), db.user(), db.password());
    }

    @BeforeEach
    void seedAndStart() {
        schema.execute("drop table if exists users", UserListFixture.DDL,
                "alter table users add column notes text",
                "alter table users replica identity full",
                insert(ACME_ALICE, "acme", "Alice"), insert(ACME_BOB, "acme", "Bob"), insert(GLOBEX_DAN, "globex", "Dan"),
                "drop table if exists tasks", AssignedTasksFixture.DDL, "alter table tasks replica identity full");
        engine = ArcanaEngine.builder().dataSource(schema.dataSource()).transport(transport).executor(executor)
                .config(EngineConfig.builder().debounce(Duration.ofMillis(20)).build())
                .changeDetector(registry -> detector = detector(connections(), registry))
                .build();
        engine.register(fixture.graph());
        engine.register(fixture.byRole());
        engine.register(fixture.renameUser("rename_user", true));
        engine.register(fixture.renameUser("rename_user_undeclared", false));
        engine.register(tasks.tasksOf());
        engine.register(tasks.myTasks());
        engine.start();
        await().atMost(DEADLINE).until(() -> engine.detectorStatus().isUp());
    }

    @AfterEach
    void stopEngine() {
        if (engine.isRunning()) {
            engine.stop();
        }
    }

    static String insert(String id, String workspace, String name) {
        return "insert into users (id, workspace_id, org_id, name, email, role) values ('" + id + "', '" + workspace
                + "', '" + UserListFixture.ORG + "', '" + name + "', '" + name.toLowerCase() + "@test', 'member')";
    }

    ClientModel subscribed(Identity identity) {
        ClientModel client = new ClientModel(identity.seanceId(), identity.workspaceId());
        client.skipTo(transport.all().size());
        client.apply(engine.subscribe(identity, "user_list", PARAMS));
        return client;
    }

    /** Deadline-polls until the client (fed every new push) equals what a fresh engine reads from the database. */
    void awaitEqualsFreshQuery(ClientModel client, Identity identity) {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            client.applyNew(transport.all());
            Snapshot fresh = freshSnapshot(identity);
            ClientModel.View held = client.views.get(fresh.paramsHash());
            assertThat(held.refs).as("refs of %s", identity.seanceId()).isEqualTo(fresh.refs());
            assertThat(client.rowsOf(fresh.paramsHash())).isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
        });
    }

    /** The view as a new engine without any history computes it from the database now. */
    Snapshot freshSnapshot(Identity identity) {
        ArcanaEngine fresh = ArcanaEngine.builder().dataSource(schema.dataSource()).transport(new RecordingTransport())
                .executor(executor).build();
        fresh.register(new UserListFixture().graph());
        fresh.start();
        try {
            return fresh.subscribe(new Identity("fresh", identity.userId(), identity.workspaceId()), "user_list", PARAMS);
        } finally {
            fresh.stop();
        }
    }

    /**
     * Commits a tracked change in globex and waits for its client: changes are detected in commit
     * order, so every earlier commit has been handled by then.
     */
    void barrier(ClientModel globexClient) {
        schema.execute("update users set name = 'Dan " + UUID.randomUUID() + "' where id = '" + GLOBEX_DAN + "'");
        awaitEqualsFreshQuery(globexClient, globex);
        Quiescence.await(engine, DEADLINE);
    }

    @Test
    void insertUpdateAndDeleteWithPlainSqlReachTheClients() {
        ClientModel one = subscribed(acme1);
        ClientModel two = subscribed(acme2);
        String carol = UUID.randomUUID().toString();

        schema.execute(insert(carol, "acme", "Carol"));
        awaitEqualsFreshQuery(one, acme1);
        awaitEqualsFreshQuery(two, acme2);
        assertThat(one.rows.get("users")).containsKey(carol);

        int viewDiffs = transport.toSeance("s1", PushType.VIEW_DIFF).size();
        schema.execute("update users set email = 'alice@new.test' where id = '" + ACME_ALICE + "'");
        awaitEqualsFreshQuery(one, acme1);
        assertThat(one.rows.get("users").get(ACME_ALICE).getString("email")).isEqualTo("alice@new.test");
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).as("a row change is a table_diff")
                .anySatisfy(diff -> assertThat(diff.getString("id")).isEqualTo(ACME_ALICE));
        assertThat(transport.toSeance("s1", PushType.VIEW_DIFF)).as("refs did not change").hasSize(viewDiffs);

        schema.execute("delete from users where id = '" + ACME_BOB + "'");
        awaitEqualsFreshQuery(one, acme1);
        awaitEqualsFreshQuery(two, acme2);
        assertThat(one.rows.get("users")).doesNotContainKey(ACME_BOB);
    }

    @Test
    void everyOneOfManyQuickWritesArrives() {
        ClientModel client = subscribed(acme1);
        for (int i = 0; i < Integer.getInteger("arcana.test.rounds", 60); i++) {
            String id = UUID.randomUUID().toString();
            schema.execute(insert(id, "acme", "Quick " + i));
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> {
                client.applyNew(transport.all());
                return client.rows.getOrDefault("users", Map.of()).containsKey(id);
            });
            schema.execute("update users set email = 'q" + i + "@test' where id = '" + id + "'");
            int round = i;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(2)).until(() -> {
                client.applyNew(transport.all());
                return ("q" + round + "@test").equals(client.rows.get("users").get(id).getString("email"));
            });
        }
        awaitEqualsFreshQuery(client, acme1);
    }

    @Test
    void aRowMovingBetweenRolesReRunsOnlyTheViewsOfItsOldAndNewRole() {
        Identity alice = new Identity("s-roles", "alice", "acme");
        for (String role : List.of("admin", "member", "viewer")) {
            engine.subscribe(alice, "users_by_role", Map.of("role", role));
        }
        Quiescence.await(engine, DEADLINE);
        int before = fixture.byRoleRuns.get();

        schema.execute("update users set role = 'admin' where id = '" + ACME_BOB + "'");
        await().atMost(DEADLINE).until(() -> fixture.byRoleRuns.get() - before >= 2);
        Quiescence.await(engine, DEADLINE);
        assertThat(fixture.byRoleRuns.get() - before).as("member's (it held Bob) and admin's (his new role), not viewer's")
                .isEqualTo(2);
        assertThat(names(engine.subscribe(alice, "users_by_role", Map.of("role", "admin")))).containsExactly("Bob");
        assertThat(names(engine.subscribe(alice, "users_by_role", Map.of("role", "member")))).containsExactly("Alice");

        int beforeInsert = fixture.byRoleRuns.get();
        schema.execute(insert(UUID.randomUUID().toString(), "acme", "Eve").replace("'member'", "'viewer'"));
        await().atMost(DEADLINE).until(() -> fixture.byRoleRuns.get() - beforeInsert >= 1);
        Quiescence.await(engine, DEADLINE);
        assertThat(fixture.byRoleRuns.get() - beforeInsert).as("only viewer's").isEqualTo(1);
        assertThat(names(engine.subscribe(alice, "users_by_role", Map.of("role", "viewer")))).containsExactly("Eve");
    }

    private static List<String> names(Snapshot snapshot) {
        return snapshot.refs().stream().map(ref -> snapshot.tables().getJsonObject("users")
                .getJsonObject(((jakarta.json.JsonObject) ref).getString("id")).getString("name")).toList();
    }

    /** One subscription of the randomized predicate test. */
    private record TaskView(Identity identity, String graph, Map<String, Object> params) {
    }

    /**
     * Random transactions on {@code tasks} (inserts, rows moving between assignees and done states,
     * title and untracked-column updates, deletes, moves between workspaces, many-row updates, some
     * committed back to back) under predicate graphs: after every step each client equals a fresh
     * query, and the index keeps the runs under half of what re-running the workspace's instances would.
     */
    @Test
    void randomWorkOnPredicateGraphsKeepsEveryClientEqualToAFreshQuery() {
        long seed = Long.getLong("arcana.test.seed", 0x7a5c5L);
        java.util.Random random = new java.util.Random(seed);
        List<String> people = List.of("u1", "u2", "u3", "u4");
        List<String> workspaces = List.of("acme", "globex");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add("t" + i);
            schema.execute(insertTask(random, "t" + i, people, workspaces));
        }
        List<Identity> identities = List.of(new Identity("p1", "u1", "acme"), new Identity("p2", "u2", "acme"),
                new Identity("p3", "u1", "globex"));
        Map<Identity, ClientModel> clients = new java.util.LinkedHashMap<>();
        List<TaskView> views = new ArrayList<>();
        for (Identity identity : identities) {
            ClientModel client = new ClientModel(identity.seanceId(), identity.workspaceId());
            client.skipTo(transport.all().size());
            clients.put(identity, client);
            List<TaskView> own = new ArrayList<>(List.of(new TaskView(identity, "my_tasks", Map.of())));
            for (String person : List.of(people.get(random.nextInt(4)), people.get(random.nextInt(4)))) {
                own.add(new TaskView(identity, "tasks_of", random.nextBoolean() ? Map.of("assignee", person)
                        : Map.of("assignee", person, "done", random.nextBoolean())));
            }
            for (TaskView view : own) {
                client.apply(engine.subscribe(identity, view.graph(), view.params()));
            }
            views.addAll(own);
        }
        Quiescence.await(engine, DEADLINE);
        int runsBefore = tasks.runs.get();
        int naiveRuns = 0;
        for (int step = 0; step < 30; step++) {
            int transactions = 1 + random.nextInt(2);
            for (int t = 0; t < transactions; t++) {
                StringBuilder sql = new StringBuilder("begin;");
                for (int s = 1 + random.nextInt(3); s > 0; s--) {
                    sql.append(randomTaskStatement(random, ids, people, workspaces)).append(';');
                }
                schema.execute(sql.append("commit;").toString());
                naiveRuns += views.size();
            }
            String context = "step " + step + " of seed " + seed;
            await().atMost(DEADLINE).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertEveryTaskViewIsFresh(clients, views, context));
        }
        Quiescence.await(engine, DEADLINE);
        assertThat(tasks.runs.get() - runsBefore).as("runs with the index; re-running every instance: %d", naiveRuns)
                .isLessThan(naiveRuns / 2);
    }

    private static String insertTask(java.util.Random random, String id, List<String> people, List<String> workspaces) {
        String assignee = random.nextInt(6) == 0 ? "null" : "'" + people.get(random.nextInt(people.size())) + "'";
        return "insert into tasks (id, workspace_id, assignee, title, done) values ('" + id + "', '"
                + workspaces.get(random.nextInt(workspaces.size())) + "', " + assignee + ", 'T" + random.nextInt(20)
                + "', " + random.nextBoolean() + ")";
    }

    private static String randomTaskStatement(java.util.Random random, List<String> ids, List<String> people,
                                              List<String> workspaces) {
        String id = ids.get(random.nextInt(ids.size()));
        String where = " where id = '" + id + "'";
        String person = people.get(random.nextInt(people.size()));
        return switch (random.nextInt(9)) {
            case 0 -> {
                ids.add("t" + ids.size());
                yield insertTask(random, ids.get(ids.size() - 1), people, workspaces);
            }
            case 1 -> "update tasks set assignee = '" + person + "'" + where;
            case 2 -> "update tasks set assignee = null" + where;
            case 3 -> "update tasks set done = not done" + where;
            case 4 -> "update tasks set title = 'T" + random.nextInt(20) + "'" + where;
            case 5 -> "update tasks set notes = 'n" + random.nextInt(1000) + "'" + where;
            case 6 -> "delete from tasks" + where;
            case 7 -> "update tasks set workspace_id = '" + workspaces.get(random.nextInt(workspaces.size())) + "'"
                    + where;
            default -> "update tasks set assignee = '" + person + "', done = " + random.nextBoolean()
                    + " where assignee = '" + people.get(random.nextInt(people.size())) + "'";
        };
    }

    /** Each client, fed every new push, holds what a new engine without history reads from the database now. */
    private void assertEveryTaskViewIsFresh(Map<Identity, ClientModel> clients, List<TaskView> views, String context) {
        clients.values().forEach(client -> client.applyNew(transport.all()));
        AssignedTasksFixture graphs = new AssignedTasksFixture();
        ArcanaEngine fresh = ArcanaEngine.builder().dataSource(schema.dataSource()).transport(new RecordingTransport())
                .executor(executor).build();
        fresh.register(graphs.tasksOf());
        fresh.register(graphs.myTasks());
        fresh.start();
        try {
            for (TaskView view : views) {
                Identity identity = view.identity();
                Snapshot truth = fresh.subscribe(new Identity("fresh-" + identity.seanceId(), identity.userId(),
                        identity.workspaceId()), view.graph(), view.params());
                ClientModel client = clients.get(identity);
                String what = view.graph() + view.params() + " of " + identity.seanceId() + " at " + context;
                assertThat(client.views.get(truth.paramsHash()).refs).as("refs of %s", what).isEqualTo(truth.refs());
                assertThat(client.rowsOf(truth.paramsHash())).as("rows of %s", what)
                        .isEqualTo(ClientModel.tablesAsMap(truth.tables()));
            }
        } finally {
            fresh.stop();
        }
    }

    @Test
    void anUpdateOfAnUntrackedColumnRunsNoFactory() {
        ClientModel acme = subscribed(acme1);
        ClientModel other = subscribed(globex);
        Quiescence.await(engine, DEADLINE);
        int acmeRuns = fixture.runs("acme");

        schema.execute("update users set notes = 'not shown anywhere' where id = '" + ACME_ALICE + "'");
        barrier(other);

        assertThat(fixture.runs("acme")).isEqualTo(acmeRuns);
        awaitEqualsFreshQuery(acme, acme1);
    }

    @Test
    void aChangeInOneWorkspaceRunsNothingInTheOther() {
        ClientModel acme = subscribed(acme1);
        ClientModel other = subscribed(globex);
        Quiescence.await(engine, DEADLINE);
        int globexRuns = fixture.runs("globex");

        schema.execute("update users set name = 'Alicia' where id = '" + ACME_ALICE + "'",
                insert(UUID.randomUUID().toString(), "acme", "Erin"),
                "delete from users where id = '" + ACME_BOB + "'");
        awaitEqualsFreshQuery(acme, acme1);
        Quiescence.await(engine, DEADLINE);

        assertThat(fixture.runs("globex")).isEqualTo(globexRuns);
        assertThat(transport.toWorkspace("globex", PushType.TABLE_DIFF)).isEmpty();
        assertThat(transport.toSeance("s3", PushType.VIEW_DIFF)).isEmpty();
        awaitEqualsFreshQuery(other, globex);
    }

    @Test
    void aHundredRowTransactionIsNeverSeenInPart() {
        int before = transport.all().size();
        Snapshot initial = engine.subscribe(acme1, "user_list", PARAMS);
        ClientModel client = new ClientModel("s1", "acme");
        client.skipTo(before);
        client.apply(initial);
        Set<String> batch = new HashSet<>();
        StringBuilder sql = new StringBuilder("begin;");
        for (int i = 0; i < 100; i++) {
            String id = UUID.randomUUID().toString();
            batch.add(id);
            sql.append(insert(id, "acme", String.format("Batch %03d", i))).append(';');
        }
        sql.append("commit;");

        schema.execute(sql.toString());
        awaitEqualsFreshQuery(client, acme1);

        // replay what the client received one push at a time: after each, all of the batch or none
        ClientModel replay = new ClientModel("s1", "acme");
        replay.skipTo(before);
        replay.apply(initial);
        List<Delivery> all = transport.all();
        List<Long> visibleCounts = new ArrayList<>();
        for (int i = before; i < all.size(); i++) {
            replay.applyNew(all.subList(0, i + 1));
            visibleCounts.add(batch.stream()
                    .filter(id -> replay.rows.getOrDefault("users", Map.of()).containsKey(id)).count());
        }
        assertThat(visibleCounts).isNotEmpty().allSatisfy(count -> assertThat(count).isIn(0L, 100L));
        assertThat(visibleCounts.get(visibleCounts.size() - 1)).isEqualTo(100L);
    }

    @Test
    void aMutationsDeclaredChangeRunsEachAffectedViewOnceBeforeTheReplyAndTheDetectorAddsNoRun() {
        ClientModel client = subscribed(acme1);
        ClientModel other = subscribed(globex);
        Quiescence.await(engine, DEADLINE);
        int runs = fixture.runs("acme");

        MutationOutcome outcome = engine.mutate(acme1, "rename_user", Map.of("id", ACME_ALICE, "name", "Alicia"), "m1");

        client.applyNew(transport.all()); // no wait: the fast path's pushes precede the reply
        assertThat(client.rows.get("users").get(ACME_ALICE).getString("name")).isEqualTo("Alicia");
        assertThat(fixture.runs("acme")).isEqualTo(runs + 1);
        assertThat(outcome.rows()).singleElement().satisfies(row -> {
            assertThat(row.table()).isEqualTo("users");
            assertThat(row.id()).isEqualTo(ACME_ALICE);
            assertThat(row.version()).isPositive();
        });
        barrier(other); // the detector has reported the mutation's transaction by now
        assertThat(fixture.runs("acme")).as("the detector's report of the mutation re-ran nothing").isEqualTo(runs + 1);
        awaitEqualsFreshQuery(client, acme1);
    }

    @Test
    void aMutationThatDeclaresNothingRepliesOnceTheDetectorsReportIsApplied() {
        ClientModel client = subscribed(acme1);
        ClientModel other = subscribed(globex);
        Quiescence.await(engine, DEADLINE);
        int runs = fixture.runs("acme");

        engine.mutate(acme1, "rename_user_undeclared", Map.of("id", ACME_BOB, "name", "Bobby"), "m2");

        client.applyNew(transport.all());
        assertThat(client.rows.get("users").get(ACME_BOB).getString("name")).isEqualTo("Bobby");
        barrier(other);
        assertThat(fixture.runs("acme")).isEqualTo(runs + 1);
        awaitEqualsFreshQuery(client, acme1);
    }

    @Test
    void aRejectedMutationLeavesNoTraceInTheDatabaseOrTheViews() {
        ClientModel client = subscribed(acme1);
        ClientModel other = subscribed(globex);
        Quiescence.await(engine, DEADLINE);
        int runs = fixture.runs("acme");
        int pushes = transport.all().size();

        assertThatThrownBy(() -> engine.mutate(acme1, "rename_user", Map.of("id", ACME_ALICE, "name", "!Mallory"), "m3"))
                .isInstanceOfSatisfying(MutationRejectedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
                    assertThat(e.reason()).isEqualTo("bad_name");
                });

        barrier(other);
        assertThat(fixture.runs("acme")).isEqualTo(runs);
        assertThat(transport.all().subList(pushes, transport.all().size()))
                .noneMatch(delivery -> delivery.audience() == Delivery.Audience.WORKSPACE
                        && "acme".equals(delivery.target()) || "s1".equals(delivery.target()));
        awaitEqualsFreshQuery(client, acme1);
        assertThat(client.rows.get("users").get(ACME_ALICE).getString("name")).isEqualTo("Alice");
    }

    @Test
    void theDetectorsBackendKilledLosesNothing() throws Exception {
        ClientModel client = subscribed(acme1);
        ClientModel other = subscribed(globex);

        try (var connection = schema.connect(); var statement = connection.createStatement()) {
            var killed = statement.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                    + "where application_name = '" + backendApplicationName() + "'");
            killed.next();
            assertThat(killed.getInt(1)).as("backends of %s", backendApplicationName()).isGreaterThanOrEqualTo(1);
        }
        // written while the detector reconnects
        schema.execute(insert(UUID.randomUUID().toString(), "acme", "During"),
                "update users set email = 'gap@test' where id = '" + ACME_ALICE + "'");

        awaitEqualsFreshQuery(client, acme1);
        assertThat(client.rows.get("users").get(ACME_ALICE).getString("email")).isEqualTo("gap@test");
        schema.execute(insert(UUID.randomUUID().toString(), "acme", "After"));
        awaitEqualsFreshQuery(client, acme1);
        awaitEqualsFreshQuery(other, globex);
        await().atMost(DEADLINE).until(() -> engine.detectorStatus().isUp());
    }
}
