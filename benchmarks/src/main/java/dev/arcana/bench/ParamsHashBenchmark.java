package dev.arcana.bench;

import dev.arcana.engine.ParamsHash;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** params_hash of typical subscriptions (target: ≤ 5 µs). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ParamsHashBenchmark {
    private final Map<String, Object> userList = Map.of("org_id", "550e8400-e29b-41d4-a716-446655440000", "limit", 20L);
    private final Map<String, Object> mixed = Map.of("q", "a<b&c", "f", 1.5, "b", true);

    @Benchmark
    public String uuidAndInt() {
        return ParamsHash.of("user_list", userList);
    }

    @Benchmark
    public String stringFloatBool() {
        return ParamsHash.of("g", mixed);
    }
}
