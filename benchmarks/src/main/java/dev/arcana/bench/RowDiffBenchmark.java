package dev.arcana.bench;

import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.diff.RowDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The row diff of a 6-field row: unchanged (the common case under coalescing) and one field changed. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RowDiffBenchmark {
    private static final JsonProvider JSON = JsonSupport.provider();
    private final JsonObject row = row("Write the launch plan");
    private final JsonObject same = row("Write the launch plan");
    private final JsonObject renamed = row("Write the launch plan, v2");

    private static JsonObject row(String title) {
        return JSON.createObjectBuilder().add("id", "aaaaaaaa-0000-4000-8000-000000000101").add("title", title)
                .add("done", false).add("assignee_id", "aaaaaaaa-0000-4000-8000-000000000001").add("position", 3)
                .add("updated_at", "2026-11-28T12:00:00Z").build();
    }

    @Benchmark
    public JsonArray unchanged() {
        return RowDiff.diff(row, same);
    }

    @Benchmark
    public JsonArray oneFieldChanged() {
        return RowDiff.diff(row, renamed);
    }
}
