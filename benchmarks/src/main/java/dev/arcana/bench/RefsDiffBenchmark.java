package dev.arcana.bench;

import dev.arcana.engine.diff.JsonSupport;
import dev.arcana.engine.diff.RefsDiff;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
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
 * The refs diff of a view of {@code size} refs where {@code changedPercent} % of them changed
 * (a mix of inserts, deletes, moves and field changes). Target: 1,000 refs with 10 changes ≤ 1 ms.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RefsDiffBenchmark {
    private static final JsonProvider JSON = JsonSupport.provider();

    @Param({"10", "1000", "10000"})
    int size;

    @Param({"1", "10"})
    int changedPercent;

    private List<JsonObject> before;
    private List<JsonObject> after;

    @Setup(Level.Trial)
    public void prepare() {
        Random random = new Random(42);
        before = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            before.add(ref("r" + i, "v"));
        }
        after = new ArrayList<>(before);
        int changes = Math.max(1, size * changedPercent / 100);
        int next = size;
        for (int c = 0; c < changes; c++) {
            int at = random.nextInt(after.size());
            switch (c % 4) {
                case 0 -> after.add(at, ref("r" + next++, "v"));
                case 1 -> after.remove(at);
                case 2 -> after.add(random.nextInt(after.size()), after.remove(at));
                default -> after.set(at, ref(after.get(at).getString("id"), "changed"));
            }
        }
    }

    private static JsonObject ref(String id, String field) {
        return JSON.createObjectBuilder().add("table", "tasks").add("id", id)
                .add("fields", JSON.createArrayBuilder().add("id").add("title").add(field)).build();
    }

    @Benchmark
    public JsonArray diff() {
        return RefsDiff.diff(before, after);
    }
}
