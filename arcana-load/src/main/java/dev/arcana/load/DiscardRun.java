package dev.arcana.load;

import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Row changes that touch no live view: {@code rows} tasks of a workspace nobody subscribes to are
 * updated (in statements of 1,000 rows, so that the writer is not the bottleneck), and the engine's
 * counters show how fast the changes arrived and that none caused a factory run. Needs a change
 * detector (plain SQL writes).
 */
final class DiscardRun {

    record Result(long rows, double writeSeconds, long seen, double engineSeconds, long ignored, long factoryRuns) {
    }

    private DiscardRun() {
    }

    static Result run(Target target, int rows, Consumer<String> progress) throws Exception {
        progress.accept("== discard: " + rows + " row changes to a workspace without live views");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        ServerProbe probe = new ServerProbe(target.baseUrl(), http, 0);
        String workspace = "load-discard-" + Long.toString(System.currentTimeMillis(), 36);
        int batch = 1_000;
        Fixture fixture = Fixture.create(target.jdbcUrl(), workspace, 1, batch, false);
        JsonObject before = probe.stats();
        long changesBefore = before.getJsonNumber("changes").longValue();
        long start = System.nanoTime();
        long written = 0;
        try (Connection c = Fixture.connect(target.jdbcUrl());
             PreparedStatement update = c.prepareStatement(
                     "update tasks set position = position + 1 where workspace_id = ?")) {
            update.setString(1, fixture.workspaces().get(0));
            while (written < rows) {
                written += update.executeUpdate();
            }
        }
        double writeSeconds = (System.nanoTime() - start) / 1e9;
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonObject after = probe.stats();
        while (after.getJsonNumber("changes").longValue() - changesBefore < written && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling the engine's counters; bounded by the deadline
            after = probe.stats();
        }
        double engineSeconds = (System.nanoTime() - start) / 1e9;
        Result result = new Result(written, writeSeconds, after.getJsonNumber("changes").longValue() - changesBefore,
                engineSeconds, after.getJsonNumber("changes_ignored").longValue()
                        - before.getJsonNumber("changes_ignored").longValue(),
                after.getJsonNumber("factory_runs").longValue() - before.getJsonNumber("factory_runs").longValue());
        progress.accept(String.format("   %d rows written in %.2f s; engine saw %d after %.2f s (%.0f/s), %d ignored, "
                + "%d factory runs", result.rows(), writeSeconds, result.seen(), engineSeconds,
                result.seen() / engineSeconds, result.ignored(), result.factoryRuns()));
        return result;
    }
}
