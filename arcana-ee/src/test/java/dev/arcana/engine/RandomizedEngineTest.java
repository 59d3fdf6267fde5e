package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Ref;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.SyncEntry;
import dev.arcana.api.SyncRequest;
import dev.arcana.api.TableDependency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generated end-to-end check of the diff pipeline: random data changes, reported to the engine,
 * produce pushes that clients apply with a standard RFC 6902 applier; clients that go away
 * sync back. After every round each client's views and rows equal a fresh snapshot, and the
 * snapshot equals the factory's answer on the current data.
 */
class RandomizedEngineTest {
    private static final int CASES = 1_000;
    private static ScheduledExecutorService executor;

    @BeforeAll
    static void startExecutor() {
        executor = Executors.newScheduledThreadPool(2);
    }

    @AfterAll
    static void stopExecutor() {
        executor.shutdownNow();
    }

    /** In-memory tables the factories read: items(id, ws, pos, score, label, owner) and owners(id, name). */
    static final class Data {
        final Map<String, Map<String, Object>> items = new ConcurrentHashMap<>();
        final Map<String, Map<String, Object>> owners = new ConcurrentHashMap<>();
    }

    static Graph itemsGraph(Data data) {
        return Graph.builder("items")
                .param("min", Param.integer().defaultValue(0))
                .dependsOn(TableDependency.of("items", "pos", "score", "label", "owner").tenantColumn("ws"))
                .dependsOn(TableDependency.of("owners", "name"))
                .factory(ctx -> {
                    long min = ctx.params().longValue("min");
                    List<Map<String, Object>> rows = new ArrayList<>();
                    for (Map<String, Object> item : data.items.values()) {
                        if (item.get("ws").equals(ctx.workspaceId()) && (int) item.get("score") >= min) {
                            rows.add(Map.copyOf(item));
                        }
                    }
                    rows.sort(Comparator.<Map<String, Object>>comparingInt(r -> (int) r.get("pos"))
                            .thenComparing(r -> (String) r.get("id")));
                    Result result = new Result().setTotal(rows.size());
                    for (Map<String, Object> item : rows.subList(0, Math.min(8, rows.size()))) {
                        String id = (String) item.get("id");
                        Map<String, Object> fields = new LinkedHashMap<>();
                        fields.put("id", id);
                        fields.put("pos", item.get("pos"));
                        fields.put("label", item.get("label"));
                        fields.put("owner", item.get("owner"));
                        result.addRow("items", id, fields);
                        Ref ref = Ref.of("items", id, "id", "pos", "label", "owner");
                        Object ownerId = item.get("owner");
                        Map<String, Object> owner = ownerId == null ? null : data.owners.get((String) ownerId);
                        if (owner != null) {
                            result.addRow("owners", ownerId, Map.of("id", ownerId, "name", owner.get("name")));
                            ref = ref.withNested("owner", Ref.of("owners", ownerId, "id", "name"));
                        }
                        result.addRef(ref);
                    }
                    return result;
                })
                .build();
    }

    static Graph ownersGraph(Data data) {
        return Graph.builder("owners")
                .dependsOn(TableDependency.of("owners", "name", "rank"))
                .factory(ctx -> {
                    Result result = new Result();
                    data.owners.values().stream()
                            .sorted(Comparator.comparing(o -> (String) o.get("id")))
                            .forEach(o -> result.addRowAndRef("owners", o.get("id"),
                                    Map.of("id", o.get("id"), "name", o.get("name"), "rank", o.get("rank"))));
                    return result;
                })
                .build();
    }

    @Test
    void clientsFollowingPushesAndSyncsAlwaysEqualAFreshSnapshot() {
        for (int i = 0; i < CASES; i++) {
            long seed = 0x5eed0000L + i;
            try {
                runCase(new Random(seed));
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("case with seed " + seed + " failed: " + e.getMessage(), e);
            }
        }
    }

    private static void runCase(Random random) {
        Data data = new Data();
        for (int i = 0; i < 4; i++) {
            data.owners.put("o" + i, new ConcurrentHashMap<>(Map.of("id", "o" + i, "name", "owner " + i, "rank", i)));
        }
        for (int i = 0; i < 12; i++) {
            insertItem(data, random, "i" + i);
        }
        RecordingTransport transport = new RecordingTransport();
        ArcanaEngine engine = ArcanaEngine.builder()
                .dataSource(new NoDatabase())
                .transport(transport)
                .executor(executor)
                .config(EngineConfig.builder()
                        .debounce(Duration.ZERO)
                        .snapshotThreshold(1 + random.nextInt(4))
                        .build())
                .build();
        engine.register(itemsGraph(data));
        engine.register(ownersGraph(data));
        engine.start();
        try {
            List<Identity> identities = List.of(
                    new Identity("s1", "u1", "w1"), new Identity("s2", "u2", "w1"), new Identity("s3", "u3", "w2"));
            Map<String, ClientModel> clients = new LinkedHashMap<>();
            Map<String, List<SubscribedView>> subscribed = new LinkedHashMap<>();
            for (Identity identity : identities) {
                ClientModel client = new ClientModel(identity.seanceId(), identity.workspaceId());
                clients.put(identity.seanceId(), client);
                List<SubscribedView> views = new ArrayList<>();
                views.add(subscribe(engine, client, identity, "items", Map.of("min", random.nextInt(3))));
                if (random.nextBoolean()) {
                    views.add(subscribe(engine, client, identity, "owners", Map.of()));
                }
                subscribed.put(identity.seanceId(), views);
            }
            client(clients, "s1").applyNew(transport.all());
            Set<String> away = new java.util.HashSet<>();
            int rounds = 1 + random.nextInt(6);
            for (int round = 0; round < rounds; round++) {
                for (Identity identity : identities) {
                    if (random.nextInt(5) == 0) {
                        away.add(identity.seanceId());
                    }
                }
                int mutations = 1 + random.nextInt(5);
                for (int m = 0; m < mutations; m++) {
                    engine.notify(mutate(data, random));
                }
                Quiescence.await(engine, Duration.ofSeconds(10));
                List<dev.arcana.api.spi.Delivery> deliveries = transport.all();
                for (Identity identity : identities) {
                    ClientModel client = clients.get(identity.seanceId());
                    if (away.contains(identity.seanceId())) {
                        client.skipTo(deliveries.size());
                        if (random.nextBoolean()) {
                            sync(engine, client, identity, subscribed.get(identity.seanceId()));
                            away.remove(identity.seanceId());
                        }
                    } else {
                        client.applyNew(deliveries);
                    }
                }
            }
            for (Identity identity : identities) {
                ClientModel client = clients.get(identity.seanceId());
                if (away.remove(identity.seanceId())) {
                    sync(engine, client, identity, subscribed.get(identity.seanceId()));
                }
                for (SubscribedView view : subscribed.get(identity.seanceId())) {
                    Snapshot fresh = engine.subscribe(identity, view.view, view.params);
                    ClientModel.View held = client.views.get(fresh.paramsHash());
                    assertThat(held.refs).as("refs of %s for %s", view.view, identity.seanceId()).isEqualTo(fresh.refs());
                    assertThat(held.version).isEqualTo(fresh.version());
                    assertThat(client.rowsOf(fresh.paramsHash()))
                            .as("rows of %s for %s", view.view, identity.seanceId())
                            .isEqualTo(ClientModel.tablesAsMap(fresh.tables()));
                    Snapshot truth = evaluate(view.view.equals("items") ? itemsGraph(data) : ownersGraph(data),
                            identity, view.params);
                    assertThat(fresh.refs()).as("server refs equal the factory on current data").isEqualTo(truth.refs());
                    // The store keeps the union of the fields all views read: compare on the view's own fields.
                    assertThat(project(fresh.tables(), truth.tables())).isEqualTo(ClientModel.tablesAsMap(truth.tables()));
                    assertThat(fresh.total()).isEqualTo(truth.total());
                }
            }
        } finally {
            engine.stop();
        }
    }

    /** The rows of {@code tables} restricted to the rows and fields present in {@code shape}. */
    private static Map<String, Map<String, jakarta.json.JsonObject>> project(jakarta.json.JsonObject tables,
                                                                            jakarta.json.JsonObject shape) {
        Map<String, Map<String, jakarta.json.JsonObject>> all = ClientModel.tablesAsMap(tables);
        Map<String, Map<String, jakarta.json.JsonObject>> projected = new LinkedHashMap<>();
        ClientModel.tablesAsMap(shape).forEach((table, rows) -> rows.forEach((id, row) -> {
            jakarta.json.JsonObject stored = all.getOrDefault(table, Map.of()).get(id);
            if (stored != null) {
                jakarta.json.JsonObjectBuilder fields = jakarta.json.Json.createObjectBuilder();
                row.keySet().forEach(field -> {
                    if (stored.containsKey(field)) {
                        fields.add(field, stored.get(field));
                    }
                });
                projected.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(id, fields.build());
            }
        }));
        return projected;
    }

    private record SubscribedView(String view, Map<String, ?> params) {
    }

    private static ClientModel client(Map<String, ClientModel> clients, String seance) {
        return clients.get(seance);
    }

    private static SubscribedView subscribe(ArcanaEngine engine, ClientModel client, Identity identity, String view,
                                            Map<String, ?> params) {
        client.apply(engine.subscribe(identity, view, params));
        return new SubscribedView(view, params);
    }

    private static void sync(ArcanaEngine engine, ClientModel client, Identity identity, List<SubscribedView> views) {
        List<SyncRequest> requests = new ArrayList<>();
        for (SubscribedView view : views) {
            String hash = ParamsHash.of(view.view, (view.view.equals("items")
                    ? Map.of("min", ((Number) view.params.get("min")).longValue()) : Map.<String, Object>of()));
            requests.add(new SyncRequest(view.view, hash, client.views.get(hash).version, null));
        }
        for (SyncEntry entry : engine.sync(identity, requests)) {
            client.apply(entry);
        }
    }

    /** The factory's answer on the current data, rendered like a snapshot through a throw-away engine. */
    private static Snapshot evaluate(Graph graph, Identity identity, Map<String, ?> params) {
        ArcanaEngine fresh = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(new RecordingTransport())
                .executor(executor).build();
        fresh.register(graph);
        fresh.start();
        try {
            return fresh.subscribe(identity, graph.key(), params);
        } finally {
            fresh.stop();
        }
    }

    private static void insertItem(Data data, Random random, String id) {
        Map<String, Object> item = new ConcurrentHashMap<>();
        item.put("id", id);
        item.put("ws", random.nextBoolean() ? "w1" : "w2");
        item.put("pos", random.nextInt(20));
        item.put("score", random.nextInt(4));
        item.put("label", "label " + random.nextInt(5));
        if (random.nextInt(4) != 0) {
            item.put("owner", "o" + random.nextInt(4));
        }
        data.items.put(id, item);
    }

    private static int nextId = 1000;

    /** Applies one random change to the data and returns the change as a detector would report it. */
    private static Change mutate(Data data, Random random) {
        int kind = random.nextInt(10);
        List<String> ids = new ArrayList<>(data.items.keySet());
        ids.sort(null);
        if (kind < 2 || ids.isEmpty()) {
            String id = "n" + (nextId++);
            insertItem(data, random, id);
            return new Change("items", id, ChangeOp.INSERT, Set.of(), (String) data.items.get(id).get("ws"));
        }
        if (kind < 3) {
            String id = ids.get(random.nextInt(ids.size()));
            Map<String, Object> removed = data.items.remove(id);
            return new Change("items", id, ChangeOp.DELETE, Set.of(), (String) removed.get("ws"));
        }
        if (kind < 5) {
            String ownerId = "o" + random.nextInt(4);
            data.owners.get(ownerId).put("name", "owner " + random.nextInt(100));
            return new Change("owners", ownerId, ChangeOp.UPDATE, Set.of("name"), null);
        }
        String id = ids.get(random.nextInt(ids.size()));
        Map<String, Object> item = data.items.get(id);
        String column = List.of("pos", "score", "label", "owner").get(random.nextInt(4));
        switch (column) {
            case "pos" -> item.put("pos", random.nextInt(20));
            case "score" -> item.put("score", random.nextInt(4));
            case "label" -> item.put("label", "label " + random.nextInt(5));
            default -> {
                if (random.nextBoolean()) {
                    item.remove("owner");
                } else {
                    item.put("owner", "o" + random.nextInt(4));
                }
            }
        }
        return new Change("items", id, ChangeOp.UPDATE, Set.of(column), (String) item.get("ws"));
    }
}
