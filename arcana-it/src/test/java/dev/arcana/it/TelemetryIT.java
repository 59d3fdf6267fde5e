package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Server C runs MicroProfile Telemetry (mpTelemetry-2.0, the OpenTelemetry API visible to the application)
 * with the SDK's logging exporter every 3 s: Arcana's hops and counts reach the server's Meter and come
 * out of the real SDK into messages.log; the run hop's count grows by the re-run of a change this test makes
 * (an HTTP subscription, so no socket write: the {@code written} hop is the WebSocket transport's).
 */
class TelemetryIT {
    private static final Path LOGS = Path.of(System.getProperty("arcana.it.jwt.serverDir",
            "target/liberty/wlp/usr/servers/arcana-it-jwt"), "logs");

    /** The run hop's cumulative count in one export of the SDK's logging exporter (its points' toString). */
    private static final Pattern RUN_HOP_COUNT = Pattern.compile(
            "getAttributes=\\{arcana\\.hop=\"run\"}, getSum=[^,]*, getCount=(\\d+)");

    @Test
    void theHopsOfAChangeAndTheEngineCountsAreExportedThroughTheServersMeter() {
        ContainerIdentityIT.ready();
        assertThat(startLog()).as("the publication was announced at start")
                .contains("ARCANA-TELEMETRY: publishing arcana.hop.duration [waited, run, pushed, total, written] "
                        + "and the engine's counts through the server's Meter bean");
        String workspace = "otel-" + UUID.randomUUID();
        String taskId = UUID.randomUUID().toString();
        Database.transaction(Database.insertTask(taskId, workspace, "Before", 1));
        assertThat(ContainerIdentityIT.call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                ContainerIdentityIT.token("ada", workspace, "member"), "s-" + UUID.randomUUID()).status())
                .isEqualTo(200);
        // the baseline: the first export after the subscription (nothing else runs on this server meanwhile)
        long subscribed = log().length();
        await().atMost(Duration.ofSeconds(20)).until(() -> since(log(), subscribed).contains("name=arcana.subscriptions"));
        long runsBefore = lastRunHopCount(log());
        long changed = log().length();

        Database.transaction("UPDATE tasks SET title = 'After' WHERE id = '" + taskId + "'");

        // the re-run of the subscribed view records its hops; the next export carries them
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(lastRunHopCount(since(log(), changed)))
                .as("the run hop's count in the exports after the change").isGreaterThan(runsBefore));
        String exported = since(log(), changed);
        assertThat(exported).contains("arcana.hop=\"waited\"", "arcana.hop=\"total\"", "name=arcana.factory.runs")
                .as("the advised boundaries reached the SDK (API 1.39 on Liberty)").contains("getBoundaries=[1.0E-4, ");
    }

    private static long lastRunHopCount(String log) {
        Matcher counts = RUN_HOP_COUNT.matcher(log);
        long last = 0;
        while (counts.find()) {
            last = Long.parseLong(counts.group(1));
        }
        return last;
    }

    /** What was logged after {@code offset} (all of it when the log rolled over meanwhile). */
    private static String since(String log, long offset) {
        return log.length() >= offset ? log.substring((int) offset) : log;
    }

    private static String log() {
        try {
            return Files.readString(LOGS.resolve("messages.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every messages log, the current one last: the exports may have rolled the start-up lines over. */
    private static String startLog() {
        try (var files = Files.list(LOGS)) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("messages_")).sorted().toList()) {
                all.append(Files.readString(file, StandardCharsets.UTF_8));
            }
            return all.append(log()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
