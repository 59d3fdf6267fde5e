package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.Identity;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.SyncRequest;
import dev.arcana.api.spi.PushType;
import dev.arcana.engine.testing.TestDatabase;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against a real PostgreSQL: the seed's user_list graph, three seances in two
 * workspaces, changes reported with notify, and the exact frames an in-memory transport captures.
 */
class EnginePostgresTest {
    private static final String ALICE = "00000000-0000-0000-0000-0000000000a1";
    private static final String BOB = "00000000-0000-0000-0000-0000000000b2";
    private static final String CAROL = "00000000-0000-0000-0000-0000000000c3";
    private static final String GLOBEX_DAN = "00000000-0000-0000-0000-0000000000d4";
    private static final Map<String, Object> PARAMS = Map.of("org_id", UserListFixture.ORG.toString(), "limit", 20);

    private static ScheduledExecutorService executor;
    private static TestDatabase.IsolatedSchema schema;

    private final Identity s1 = new Identity("s1", "u1", "acme");
    private final Identity s2 = new Identity("s2", "u2", "acme");
    private final Identity s3 = new Identity("s3", "u3", "globex");
    private final RecordingTransport transport = new RecordingTransport();
    private final UserListFixture fixture = new UserListFixture();
    private ArcanaEngine engine;

    @BeforeAll
    static void createSchema() {
        executor = Executors.newScheduledThreadPool(2);
        schema = TestDatabase.get().isolatedSchema("engine");
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    @BeforeEach
    void seed() {
        schema.execute("drop table if exists users", UserListFixture.DDL,
                "insert into users values ('" + ALICE + "', 'acme', '" + UserListFixture.ORG + "', 'Alice', 'alice@acme.test', 'admin')",
                "insert into users values ('" + BOB + "', 'acme', '" + UserListFixture.ORG + "', 'Bob', 'bob@acme.test', 'member')",
                "insert into users values ('" + GLOBEX_DAN + "', 'globex', '" + UserListFixture.ORG + "', 'Dan', 'dan@globex.test', 'viewer')");
        engine = engine(EngineConfig.builder().debounce(Duration.ofMillis(20)).snapshotThreshold(3).build());
    }

    @AfterEach
    void stopEngine() {
        if (engine.isRunning()) {
            engine.stop();
        }
    }

    private ArcanaEngine engine(EngineConfig config) {
        ArcanaEngine created = ArcanaEngine.builder().dataSource(schema.dataSource()).transport(transport)
                .executor(executor).config(config).build();
        created.register(fixture.graph());
        created.start();
        return created;
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    private void settle() {
        Quiescence.await(engine, Duration.ofSeconds(10));
    }

    @Test
    void subscribeAnswersRefsRowsAndTotal() {
        Snapshot snapshot = engine.subscribe(s1, "user_list", PARAMS);

        assertThat(snapshot.version()).isEqualTo(1);
        assertThat(snapshot.seanceId()).isEqualTo("s1");
        assertThat(snapshot.paramsHash()).isEqualTo("4a854d5762ab2f24385a5812ee95bc7dbb6ddd09b0955207b0b4b9a95a78a883");
        assertThat(snapshot.total()).hasValue(2);
        assertThat(snapshot.refs()).isEqualTo(Json.createReader(new StringReader(("["
                + "{'table':'users','id':'" + ALICE + "','fields':['id','name','email','role']},"
                + "{'table':'users','id':'" + BOB + "','fields':['id','name','email','role']}]").replace('\'', '"')))
                .readArray());
        assertThat(snapshot.tables()).isEqualTo(json("{'users':{"
                + "'" + ALICE + "':{'id':'" + ALICE + "','name':'Alice','email':'alice@acme.test','role':'admin'},"
                + "'" + BOB + "':{'id':'" + BOB + "','name':'Bob','email':'bob@acme.test','role':'member'}}}"));
    }

    @Test
    void anUpdateThatMayHaveMovedARowReRunsTheWorkspacesStillHoldingIt() {
        engine.subscribe(s1, "user_list", PARAMS);
        engine.subscribe(s3, "user_list", PARAMS);
        settle();
        int acmeRuns = fixture.runs("acme");

        // a known change of a column that is not the tenant: only the row's workspace re-runs
        schema.execute("update users set email = 'a2@acme.test' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "globex", "email"));
        settle();
        assertThat(fixture.runs("acme")).isEqualTo(acmeRuns);

        // the row moved to globex, reported as an UPDATE with unknown columns (e.g. WAL without old row)
        schema.execute("update users set workspace_id = 'globex' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "globex"));
        settle();
        assertThat(fixture.runs("acme")).as("acme held the row: re-run").isEqualTo(acmeRuns + 1);
        assertThat(engine.subscribe(s1, "user_list", PARAMS).tables().getJsonObject("users")).doesNotContainKey(ALICE);
        assertThat(engine.subscribe(s3, "user_list", PARAMS).tables().getJsonObject("users")).containsKey(ALICE);
    }

    @Test
    void rowUpdateIsBroadcastAsTableDiffToItsWorkspaceOnly() {
        engine.subscribe(s1, "user_list", PARAMS);
        engine.subscribe(s2, "user_list", PARAMS);
        engine.subscribe(s3, "user_list", PARAMS);
        schema.execute("update users set email = 'alice@new.test' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "acme", "email"));
        settle();

        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).containsExactly(json(
                "{'table':'users','id':'" + ALICE + "','ver':2,"
                        + "'patch':[{'op':'replace','path':'/email','value':'alice@new.test'}]}"));
        assertThat(transport.toSeance("s1", PushType.VIEW_DIFF)).as("refs did not change").isEmpty();
        assertThat(transport.toWorkspace("globex", PushType.TABLE_DIFF)).isEmpty();
        assertThat(transport.toSeance("s3", PushType.VIEW_DIFF)).isEmpty();
    }

    @Test
    void insertSendsViewDiffWithTheNewRowToEverySeanceOfTheWorkspace() {
        engine.subscribe(s1, "user_list", PARAMS);
        engine.subscribe(s2, "user_list", PARAMS);
        engine.subscribe(s3, "user_list", PARAMS);
        schema.execute("insert into users values ('" + CAROL + "', 'acme', '" + UserListFixture.ORG
                + "', 'Carol', 'carol@acme.test', 'viewer')");
        engine.notify(Change.insert("users", CAROL, "acme"));
        settle();

        for (String seance : List.of("s1", "s2")) {
            assertThat(transport.toSeance(seance, PushType.VIEW_DIFF)).containsExactly(json(
                    "{'view':'user_list','params_hash':'4a854d5762ab2f24385a5812ee95bc7dbb6ddd09b0955207b0b4b9a95a78a883',"
                            + "'version':2,"
                            + "'refs_patch':[{'op':'add','path':'/2','value':{'table':'users','id':'" + CAROL
                            + "','fields':['id','name','email','role']}}],"
                            + "'tables':{'users':{'" + CAROL + "':{'id':'" + CAROL
                            + "','name':'Carol','email':'carol@acme.test','role':'viewer'}}},"
                            + "'total':3}"));
        }
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).as("the row is new to every client").isEmpty();
        assertThat(transport.toSeance("s3", PushType.VIEW_DIFF)).isEmpty();
    }

    @Test
    void deleteRemovesTheRefAndTellsTheWorkspaceTheRowIsGone() {
        engine.subscribe(s1, "user_list", PARAMS);
        schema.execute("delete from users where id = '" + ALICE + "'");
        engine.notify(Change.delete("users", ALICE, "acme"));
        settle();

        assertThat(transport.toSeance("s1", PushType.VIEW_DIFF)).containsExactly(json(
                "{'view':'user_list','params_hash':'4a854d5762ab2f24385a5812ee95bc7dbb6ddd09b0955207b0b4b9a95a78a883',"
                        + "'version':2,'refs_patch':[{'op':'remove','path':'/0'}],'tables':{},'total':1}"));
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).containsExactly(json(
                "{'table':'users','id':'" + ALICE + "','ver':2,'deleted':true}"));
        assertThat(engine.stats().storeRows()).isEqualTo(1);
    }

    @Test
    void renameThatReordersSendsRowPatchThenRefsPatch() {
        ClientModel client = new ClientModel("s1", "acme");
        client.apply(engine.subscribe(s1, "user_list", PARAMS));
        schema.execute("update users set name = 'Zed' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "acme", "name"));
        settle();

        List<String> types = new ArrayList<>();
        transport.all().forEach(d -> types.add(d.push().type().wireName() + ":" + d.target()));
        assertThat(types).containsExactly("table_diff:acme", "view_diff:s1");
        client.applyNew(transport.all());
        Snapshot fresh = engine.subscribe(s1, "user_list", PARAMS);
        assertThat(client.views.get(fresh.paramsHash()).refs).isEqualTo(fresh.refs());
        assertThat(client.rowsOf(fresh.paramsHash())).isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
    }

    @Test
    void changeInOneWorkspaceRunsNoFactoryOfTheOther() {
        engine.subscribe(s1, "user_list", PARAMS);
        engine.subscribe(s3, "user_list", PARAMS);
        int acmeBefore = fixture.runs("acme");
        int globexBefore = fixture.runs("globex");
        schema.execute("update users set name = 'Alicia' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "acme", "name"));
        settle();

        assertThat(fixture.runs("acme") - acmeBefore).isEqualTo(1);
        assertThat(fixture.runs("globex") - globexBefore).isZero();
    }

    @Test
    void updateOfUntrackedColumnRunsNoFactory() {
        engine.subscribe(s1, "user_list", PARAMS);
        long runsBefore = engine.stats().factoryRuns();
        engine.notify(Change.update("users", ALICE, "acme", "org_id"));
        engine.notify(Change.update("unrelated_table", "1", "acme", "x"));
        settle();

        assertThat(engine.stats().factoryRuns()).isEqualTo(runsBefore);
        assertThat(engine.stats().changesIgnored()).isEqualTo(2);
    }

    @Test
    void hundredSubscribersOfOneInstanceCostOneRunPerChange() {
        engine.stop(); // one user with 100 tabs: past the default seance cap
        engine = engine(EngineConfig.builder().debounce(Duration.ofMillis(20)).snapshotThreshold(3)
                .caps(new EngineConfig.Caps(500, 100, 10_000, 0)).build());
        for (int i = 0; i < 100; i++) {
            engine.subscribe(new Identity("tab-" + i, "u1", "acme"), "user_list", PARAMS);
        }
        assertThat(engine.stats().queryInstances()).isEqualTo(1);
        assertThat(fixture.runs("acme")).isEqualTo(1);

        schema.execute("insert into users values ('" + CAROL + "', 'acme', '" + UserListFixture.ORG
                + "', 'Carol', 'carol@acme.test', 'viewer')");
        engine.notify(Change.insert("users", CAROL, "acme"));
        settle();

        assertThat(fixture.runs("acme")).isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            assertThat(transport.toSeance("tab-" + i, PushType.VIEW_DIFF)).hasSize(1);
        }
    }

    @Test
    void thousandNotifiesInOneWindowCauseOneRunAndEndOnTheDatabaseState() {
        engine.stop();
        engine = engine(EngineConfig.builder().debounce(Duration.ofMillis(500)).build());
        Snapshot initial = engine.subscribe(s1, "user_list", PARAMS);
        ClientModel client = new ClientModel("s1", "acme");
        client.apply(initial);
        int runsBefore = fixture.runs("acme");
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            if (i % 100 == 0) {
                schema.execute("update users set email = 'alice" + i + "@acme.test' where id = '" + ALICE + "'");
            }
            engine.notify(Change.update("users", ALICE, "acme", "email"));
        }
        long windowsSpanned = Duration.ofNanos(System.nanoTime() - start).toMillis() / 500;
        settle();

        // the 500 ms floor after the load run's start: one trailing run takes them all — and a loop slowed past
        // the floor (a loaded machine) earns one more run per window, no more
        assertThat(fixture.runs("acme") - runsBefore).isBetween(1, 1 + (int) windowsSpanned);
        client.applyNew(transport.all());
        assertThat(client.rows.get("users").get(ALICE).getString("email")).isEqualTo("alice900@acme.test");
    }

    @Test
    void catchUpReplaysMissedPatchesAndCarriesRowOnlyChanges() {
        Snapshot initial = engine.subscribe(s1, "user_list", PARAMS);
        ClientModel client = new ClientModel("s1", "acme");
        client.apply(initial);
        // While the client is away: a row-only change, then an insert (one view version).
        schema.execute("update users set email = 'bob@new.test' where id = '" + BOB + "'");
        engine.notify(Change.update("users", BOB, "acme", "email"));
        settle();
        schema.execute("insert into users values ('" + CAROL + "', 'acme', '" + UserListFixture.ORG
                + "', 'Carol', 'carol@acme.test', 'viewer')");
        engine.notify(Change.insert("users", CAROL, "acme"));
        settle();

        List<SyncEntry> entries = engine.sync(s1, List.of(
                new SyncRequest("user_list", initial.paramsHash(), initial.version(), null)));

        SyncEntry entry = entries.get(0);
        assertThat(entry.mode()).isEqualTo(SyncEntry.Mode.CATCH_UP);
        assertThat(entry.version()).isEqualTo(2);
        assertThat(entry.patches()).hasSize(1);
        client.apply(entry);
        Snapshot fresh = engine.subscribe(s1, "user_list", PARAMS);
        assertThat(client.views.get(fresh.paramsHash()).refs).isEqualTo(fresh.refs());
        assertThat(client.rowsOf(fresh.paramsHash())).isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
        assertThat(client.rows.get("users").get(BOB).getString("email")).isEqualTo("bob@new.test");
    }

    @Test
    void syncAtTheCurrentVersionIsACatchUpWithoutPatchesOrFactoryRun() {
        Snapshot initial = engine.subscribe(s1, "user_list", PARAMS);
        long runs = engine.stats().factoryRuns();
        SyncEntry entry = engine.sync(s1, List.of(new SyncRequest("user_list", initial.paramsHash(), 1, null))).get(0);

        assertThat(entry.mode()).isEqualTo(SyncEntry.Mode.CATCH_UP);
        assertThat(entry.patches()).isEmpty();
        assertThat(entry.tables()).isEqualTo(initial.tables());
        assertThat(engine.stats().factoryRuns()).isEqualTo(runs);
    }

    @Test
    void gapBeyondTheThresholdIsAnsweredWithASnapshot() {
        Snapshot initial = engine.subscribe(s1, "user_list", PARAMS);
        ClientModel client = new ClientModel("s1", "acme");
        client.apply(initial);
        String[] names = {"Aaron", "Abel", "Ada", "Adam"};
        for (int i = 0; i < names.length; i++) {
            schema.execute("insert into users values ('00000000-0000-0000-0000-00000000010" + i + "', 'acme', '"
                    + UserListFixture.ORG + "', '" + names[i] + "', 'x@acme.test', 'viewer')");
            engine.notify(Change.insert("users", "00000000-0000-0000-0000-00000000010" + i, "acme"));
            settle();
        }
        SyncEntry entry = engine.sync(s1, List.of(new SyncRequest("user_list", initial.paramsHash(), 1, null))).get(0);

        assertThat(entry.mode()).isEqualTo(SyncEntry.Mode.SNAPSHOT);
        assertThat(entry.version()).isEqualTo(5);
        client.apply(entry);
        Snapshot fresh = engine.subscribe(s1, "user_list", PARAMS);
        assertThat(client.views.get(fresh.paramsHash()).refs).isEqualTo(fresh.refs());
        assertThat(client.rowsOf(fresh.paramsHash())).isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
    }

    @Test
    void syncWithParamsResubscribesWhenTheServerLostTheSubscription() {
        Snapshot initial = engine.subscribe(s1, "user_list", PARAMS);
        engine.releaseSeance("s1");
        assertThat(engine.active(s1)).isEmpty();

        List<SyncEntry> entries = engine.sync(s1, List.of(
                new SyncRequest("user_list", initial.paramsHash(), 7, PARAMS),
                new SyncRequest("user_list", "feedface", 3, null)));

        assertThat(entries.get(0).mode()).isEqualTo(SyncEntry.Mode.SNAPSHOT);
        assertThat(entries.get(0).refs()).isEqualTo(initial.refs());
        assertThat(entries.get(1).mode()).isEqualTo(SyncEntry.Mode.ERROR);
        assertThat(entries.get(1).error().code().code()).isEqualTo("not_found");
        assertThat(entries.get(1).error().getMessage())
                .isEqualTo("no subscription to view 'user_list' with params_hash 'feedface'");
        assertThat(engine.active(s1)).hasSize(1);
    }

    @Test
    void unsubscribingTheLastSubscriberReleasesInstanceAndRows() {
        Snapshot snapshot = engine.subscribe(s1, "user_list", PARAMS);
        engine.unsubscribe(s1, "user_list", snapshot.paramsHash());

        assertThat(engine.stats().queryInstances()).isZero();
        assertThat(engine.stats().subscriptions()).isZero();
        assertThat(engine.collectGarbage()).isEqualTo(2);
        assertThat(engine.stats().storeRows()).isZero();
    }

    @Test
    void aWorkspaceLeftEmptyIsForgottenAtGarbageCollectionAndComesBackLiveOnTheNextSubscribe() {
        engine.subscribe(s3, "user_list", PARAMS);
        Snapshot acme = engine.subscribe(s1, "user_list", PARAMS);
        engine.unsubscribe(s1, "user_list", acme.paramsHash());

        engine.collectGarbage();
        assertThat(engine.workspaceCount()).isEqualTo(1); // globex still has a view

        Snapshot again = engine.subscribe(s1, "user_list", PARAMS);
        assertThat(again.total()).hasValue(2);
        schema.execute("update users set name = 'Alicia' where id = '" + ALICE + "'");
        engine.notify(Change.update("users", ALICE, "acme", "name"));
        settle();
        assertThat(transport.toWorkspace("acme", PushType.TABLE_DIFF)).last()
                .satisfies(diff -> assertThat(diff.toString()).contains("Alicia"));
        assertThat(engine.workspaceCount()).isEqualTo(2);
    }

    @Test
    void schemaReportsColumnTypesFromTheCatalog() {
        SchemaDescription description = engine.schema();

        assertThat(description.tables().get("users")).containsEntry("id", new SchemaDescription.Column("uuid", false))
                .containsEntry("name", new SchemaDescription.Column("text", false));
        assertThat(description.views().get("user_list").params()).containsOnlyKeys("org_id", "limit", "role");
        assertThat(description.views().get("user_list").deps()).containsEntry("users", List.of("id", "name", "email", "role"));
    }
}
