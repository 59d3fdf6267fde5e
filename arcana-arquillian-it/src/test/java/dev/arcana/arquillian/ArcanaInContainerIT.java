package dev.arcana.arquillian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.arcana.api.Arcana;
import dev.arcana.api.Identity;
import dev.arcana.api.SchemaDescription;
import dev.arcana.api.Snapshot;
import dev.arcana.arquillian.app.ArquillianDatabase;
import dev.arcana.arquillian.app.ItemService;
import dev.arcana.arquillian.app.TestGraphs;
import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.ee.ArcanaSettings;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What only a container shows, in one deployment of a small application (see {@link Deployments}):
 * its {@code @GraphDefinition} producers are found, {@code @Inject Arcana} works in its beans, its
 * MicroProfile Config values reach Arcana's settings, Arcana's health checks are registered, and
 * the engine starts only after the application's own start-up bean. Runs inside the server.
 */
@ExtendWith(ArquillianExtension.class)
class ArcanaInContainerIT {
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    @Deployment
    static WebArchive deployment() {
        return Deployments.application("arcana-arquillian");
    }

    @Inject
    Arcana arcana;
    @Inject
    ArcanaRuntime runtime;
    @Inject
    ArcanaSettings settings;
    @Inject
    ItemService items;
    @Inject
    @Any
    Instance<HealthCheck> healthChecks;

    @Test
    void graphsProducedByTheApplicationAreRegistered() {
        SchemaDescription schema = arcana.schema();
        assertThat(schema.views()).containsKeys(TestGraphs.ITEMS, TestGraphs.ITEM_COUNT);
        assertThat(schema.views().get(TestGraphs.ITEMS).params()).containsKey("limit");
        assertThat(schema.views().get(TestGraphs.ITEM_COUNT).deps()).containsKey("items");

        // the producer field's graph runs too, on the deployment's DataSource
        Snapshot count = arcana.subscribe(identity("seance-count"), TestGraphs.ITEM_COUNT, Map.of());
        assertThat(count.total()).hasValue(2);
    }

    @Test
    void anApplicationBeanUsesTheInjectedEngine() throws Exception {
        Identity identity = identity("seance-items");
        Snapshot before = items.items(identity);
        assertThat(names(before)).containsExactly("first", "second");

        items.rename("i2", "renamed");

        // the notified change re-runs the view: a fresh snapshot of the same subscription shows it
        Snapshot after = await("the renamed item in the view").atMost(DEADLINE).pollInterval(Duration.ofMillis(50))
                .until(() -> items.items(identity), snapshot -> names(snapshot).contains("renamed"));
        assertThat(names(after)).containsExactly("first", "renamed");
        assertThat(after.paramsHash()).isEqualTo(before.paramsHash());
    }

    @Test
    void microProfileConfigValuesReachTheSettings() {
        assertThat(settings.datasource()).isEqualTo(ArquillianDatabase.JNDI_NAME);
        assertThat(settings.detector()).isEqualTo("explicit");
        assertThat(settings.maxSubscriptionsPerSeance()).isEqualTo(42);
        assertThat(settings.debounce()).isEqualTo(Duration.ofMillis(20));
        assertThat(settings.describe())
                .contains("arcana.max-subscriptions-per-seance=42,")
                .contains("arcana.debounce-ms=20,")
                .contains("arcana.datasource=" + ArquillianDatabase.JNDI_NAME)
                // a key the deployment does not set keeps its default, and says so
                .contains("arcana.snapshot-threshold=50 (default)");
    }

    @Test
    void healthChecksAreRegisteredAndUp() {
        HealthCheckResponse readiness = arcanaCheck(healthChecks.select(Readiness.Literal.INSTANCE));
        assertThat(readiness.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        Map<String, Object> data = readiness.getData().orElseThrow();
        assertThat(data).containsEntry("state", "running").containsEntry("database", "up")
                .containsEntry("detector_mode", "explicit");

        HealthCheckResponse liveness = arcanaCheck(healthChecks.select(Liveness.Literal.INSTANCE));
        assertThat(liveness.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(liveness.getData().orElseThrow()).containsEntry("state", "running");
    }

    @Test
    void engineStartsAfterTheApplicationsStartUpBean() {
        // the start-up bean ran while the engine had not started (and did not fail for lack of a database) ...
        assertThat(ArquillianDatabase.engineStateWhenDatabaseStarted()).isEqualTo(ArcanaRuntime.State.NEW);
        // ... and the engine runs now, on the database that bean started
        assertThat(runtime.state()).isEqualTo(ArcanaRuntime.State.RUNNING);
        assertThat(runtime.failure()).isEmpty();
        assertThat(names(arcana.subscribe(identity("seance-order"), TestGraphs.ITEMS, Map.of("limit", 1))))
                .containsExactly("first");
    }

    private static Identity identity(String seance) {
        return new Identity(seance, "user-arq", ArquillianDatabase.WORKSPACE);
    }

    /** The item names of a snapshot, in ref order. */
    private static List<String> names(Snapshot snapshot) {
        JsonObject rows = snapshot.tables().getJsonObject("items");
        return snapshot.refs().stream()
                .map(ref -> ref.asJsonObject().getString("id"))
                .map(id -> rows.getJsonObject(id).getString("name"))
                .toList();
    }

    private static HealthCheckResponse arcanaCheck(Instance<HealthCheck> checks) {
        List<HealthCheckResponse> responses = checks.stream().map(HealthCheck::call).toList();
        Optional<HealthCheckResponse> arcana = responses.stream()
                .filter(response -> Objects.equals(response.getName(), "arcana")).findFirst();
        assertThat(arcana).as("a check named arcana among %s", responses.stream().map(HealthCheckResponse::getName)
                .toList()).isPresent();
        return arcana.get();
    }
}
