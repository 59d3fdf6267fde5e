package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.ColumnMatch;
import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Param;
import dev.arcana.api.Result;
import dev.arcana.api.Snapshot;
import dev.arcana.api.TableDependency;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Routing by {@link ColumnMatch}: a graph of the items of one assignee ({@code where("assignee",
 * param("assignee"))}) over an in-memory table, with explicit changes that carry (or not) the row's
 * new assignee. Counts factory runs per change and checks every instance against the table.
 */
class ColumnMatchRoutingTest {
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(4);
    private final RecordingTransport transport = new RecordingTransport();
    private final Table items = new Table();

    /** The in-memory table: item id → assignee, with the ids per assignee (so that 10,000 first loads stay cheap). */
    static final class Table {
        private final Map<String, String> assigneeOf = new ConcurrentHashMap<>();
        private final Map<String, Set<String>> ids = new ConcurrentHashMap<>();

        synchronized void put(String id, String assignee) {
            remove(id);
            assigneeOf.put(id, assignee);
            ids.computeIfAbsent(assignee, a -> new TreeSet<>()).add(id);
        }

        synchronized void remove(String id) {
            String old = assigneeOf.remove(id);
            if (old != null) {
                ids.get(old).remove(id);
            }
        }

        synchronized String get(String id) {
            return assigneeOf.get(id);
        }

        synchronized List<String> all() {
            return List.copyOf(new TreeSet<>(assigneeOf.keySet()));
        }

        synchronized List<String> idsOf(String assignee) {
            return List.copyOf(ids.getOrDefault(assignee, Set.of()));
        }
    }
    private final AtomicInteger runs = new AtomicInteger();
    private final Identity reader = new Identity("s-reader", "u1", "acme");
    /** Set by the randomized test: a run dawdles after reading, so that changes land while it is under way. */
    private volatile boolean slowRuns;
    private ArcanaEngine engine;

    @AfterEach
    void stop() {
        if (engine != null && engine.isRunning()) {
            engine.stop();
        }
        executor.shutdownNow();
    }

    private void start(boolean withMatch, int instances) {
        start(withMatch, instances, Strategy.SHARED);
    }

    private void start(boolean withMatch, int instances, Strategy strategy) {
        TableDependency dependency = TableDependency.of("items", "assignee", "label");
        engine = ArcanaEngine.builder().dataSource(new NoDatabase()).transport(transport).executor(executor)
                .config(EngineConfig.builder().strategy(strategy).maxSubscriptionsPerSeance(instances + 10)
                        .caps(new EngineConfig.Caps(instances + 10, 32, instances + 10, 0)).build())
                .build();
        engine.register(Graph.builder("by_assignee").param("assignee", Param.string().required())
                .dependsOn(withMatch ? dependency.where("assignee", ColumnMatch.param("assignee")) : dependency)
                .factory(ctx -> {
                    runs.incrementAndGet();
                    String assignee = ctx.params().string("assignee");
                    Result result = new Result();
                    items.idsOf(assignee).forEach(id ->
                            result.addRowAndRef("items", id, Map.of("id", id, "assignee", assignee)));
                    if (slowRuns) {
                        try {
                            Thread.sleep(2); // the run has read the table; the test's next writes come now
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    return result;
                }).build());
        engine.start();
        for (int i = 0; i < instances; i++) {
            items.put("r" + i, "a" + i);
        }
        for (int i = 0; i < instances; i++) {
            engine.subscribe(reader, "by_assignee", Map.of("assignee", "a" + i));
        }
    }

    private int runsFor(Change change) {
        int before = runs.get();
        engine.notify(change);
        Quiescence.await(engine, Duration.ofSeconds(30));
        return runs.get() - before;
    }

    private static Change moved(String id, String to) {
        return Change.update("items", id, "acme", "assignee").withValues(Map.of("assignee", to));
    }

    @ParameterizedTest(name = "{0} instances")
    @ValueSource(ints = {10, 1_000, 10_000})
    void aChangeReRunsOnlyTheInstancesItCanAffect(int n) {
        start(true, n);
        items.put("r0", "a1");
        assertThat(runsFor(moved("r0", "a1"))).as("the new assignee's view and the one that held the row").isEqualTo(2);
        items.put("new", "a7");
        assertThat(runsFor(Change.insert("items", "new", "acme").withValues(Map.of("assignee", "a7")))).isEqualTo(1);
        items.remove("r3");
        assertThat(runsFor(Change.delete("items", "r3", "acme"))).as("only the view holding it").isEqualTo(1);
        assertThat(runsFor(Change.update("items", "r5", "acme", "label").withValues(Map.of("assignee", "a5"))))
                .isEqualTo(1);
        assertThat(runsFor(Change.update("items", "r6", "acme", "label"))).as("value unknown: every view").isEqualTo(n);
        assertThat(runsFor(Change.tableWide("items"))).isEqualTo(n);
    }

    @Test
    void withoutTheMatchEveryInstanceReRuns() {
        start(false, 1_000);
        items.put("r0", "a1");
        assertThat(runsFor(moved("r0", "a1"))).isEqualTo(1_000);
    }

    @Test
    void theUnindexedStrategyIgnoresTheMatch() {
        start(true, 1_000, Strategy.UNINDEXED);
        items.put("r0", "a1");
        assertThat(runsFor(moved("r0", "a1"))).isEqualTo(1_000);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void everyInstanceEqualsTheTableAfterRandomChangesSomeWhileRunsAreUnderWay(long seed) throws InterruptedException {
        int assignees = 6;
        start(true, assignees);
        slowRuns = true;
        Random random = new Random(seed);
        for (int step = 0; step < 150; step++) {
            int burst = 1 + random.nextInt(3); // several changes before waiting: some land while runs are under way
            for (int k = 0; k < burst; k++) {
                engine.notify(randomChange(random, assignees));
                if (random.nextBoolean()) {
                    Thread.sleep(1); // the pace of the writes: the next one may land during the runs of this one
                }
            }
            Quiescence.await(engine, Duration.ofSeconds(10));
            for (int a = 0; a < assignees; a++) {
                String assignee = "a" + a;
                Snapshot shown = engine.subscribe(reader, "by_assignee", Map.of("assignee", assignee));
                Set<String> expected = new TreeSet<>(items.idsOf(assignee));
                Set<String> actual = shown.refs().stream().map(ref -> ((JsonObject) ref).getString("id"))
                        .collect(Collectors.toCollection(TreeSet::new));
                assertThat(actual).as("seed %d, step %d, %s", seed, step, assignee).isEqualTo(expected);
            }
        }
    }

    /** Applies a random write to the table and returns the change a detector would report. */
    private Change randomChange(Random random, int assignees) {
        String to = "a" + random.nextInt(assignees + 1); // one value no instance shows
        List<String> ids = items.all();
        int kind = random.nextInt(6);
        if (ids.isEmpty() || kind == 0) {
            String id = "n" + random.nextInt(1_000_000);
            items.put(id, to);
            return Change.insert("items", id, "acme").withValues(Map.of("assignee", to));
        }
        String id = ids.get(random.nextInt(ids.size()));
        return switch (kind) {
            case 1 -> {
                items.remove(id);
                yield Change.delete("items", id, "acme");
            }
            case 2 -> {
                items.put(id, to);
                yield Change.update("items", id, "acme"); // columns and values unknown (a gap, a WAL update)
            }
            case 3 -> Change.update("items", id, "acme", "label").withValues(Map.of("assignee", items.get(id)));
            default -> {
                items.put(id, to);
                yield moved(id, to);
            }
        };
    }
}
