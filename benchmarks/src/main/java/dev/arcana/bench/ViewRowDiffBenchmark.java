package dev.arcana.bench;

import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.diff.RowDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.ArrayList;
import java.util.List;
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
 * The row diffs of one re-run of a view of {@code size} rows where {@code changedPercent} % of the
 * rows changed one field: what the store does per factory result before any push.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ViewRowDiffBenchmark {
    private static final JsonProvider JSON = JsonSupport.provider();

    @Param({"10", "1000", "10000"})
    int size;

    @Param({"1", "10"})
    int changedPercent;

    private List<JsonObject> before;
    private List<JsonObject> after;

    @Setup(Level.Trial)
    public void prepare() {
        before = new ArrayList<>(size);
        after = new ArrayList<>(size);
        int every = Math.max(1, 100 / changedPercent);
        for (int i = 0; i < size; i++) {
            JsonObject row = TaskRows.row(JSON, i, "Task " + i);
            before.add(row);
            after.add(i % every == 0 ? TaskRows.row(JSON, i, "Task " + i + " (edited)") : TaskRows.row(JSON, i, "Task " + i));
        }
    }

    @Benchmark
    public int diffEveryRow() {
        int ops = 0;
        for (int i = 0; i < size; i++) {
            JsonArray patch = RowDiff.diff(before.get(i), after.get(i));
            ops += patch.size();
        }
        return ops;
    }
}
