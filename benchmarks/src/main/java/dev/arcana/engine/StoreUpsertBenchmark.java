package dev.arcana.engine;

import dev.arcana.bench.TaskRows;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link RowStore#upsert} of one row into a store of {@code storeRows} rows: unchanged (the common
 * case: a re-run returns mostly the same rows) and changed (diff, merge, version bump, patch).
 * Lives in the engine's package because the store is internal.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreUpsertBenchmark {
    private static final JsonProvider JSON = JsonSupport.provider();

    @Param({"1000", "100000"})
    int storeRows;

    private RowStore store;
    private String id;
    private JsonObject same;
    private JsonObject renamedA;
    private JsonObject renamedB;
    private boolean flip;
    /** Each upsert as a run that started after the previous ones. */
    private long runStamp;

    @Setup(Level.Trial)
    public void prepare() {
        store = new RowStore();
        for (int i = 0; i < storeRows; i++) {
            store.upsert("tasks", TaskRows.id(i), TaskRows.row(JSON, i, "Task " + i), ++runStamp);
        }
        int target = storeRows / 2;
        id = TaskRows.id(target);
        same = TaskRows.row(JSON, target, "Task " + target);
        renamedA = TaskRows.row(JSON, target, "Task A");
        renamedB = TaskRows.row(JSON, target, "Task B");
    }

    @Benchmark
    public Object unchanged() {
        return store.upsert("tasks", id, same, ++runStamp);
    }

    @Benchmark
    public Object changed() {
        flip = !flip;
        return store.upsert("tasks", id, flip ? renamedA : renamedB, ++runStamp);
    }
}
