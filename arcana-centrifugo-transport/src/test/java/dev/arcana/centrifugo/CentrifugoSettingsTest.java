package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.InvalidSettingsException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CentrifugoSettingsTest {
    private static final Map<String, String> MINIMAL = Map.of(
            CentrifugoSettings.URL, "http://centrifugo:8000", CentrifugoSettings.API_KEY, "k");

    @Test
    void defaults() {
        CentrifugoSettings settings = CentrifugoSettings.of(MINIMAL);

        assertThat(settings.apiBase()).isEqualTo(URI.create("http://centrifugo:8000/api/"));
        assertThat(settings.apiBase().resolve("batch")).isEqualTo(URI.create("http://centrifugo:8000/api/batch"));
        assertThat(settings.apiKey()).isEqualTo("k");
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.maxRetries()).isEqualTo(3);
        assertThat(settings.maxInFlight()).isEqualTo(4);
        assertThat(settings.queueLimit()).isEqualTo(1_000);
        assertThat(settings.batch()).isTrue();
        assertThat(settings.workspaceNamespace()).isEqualTo("workspace");
        assertThat(settings.viewsNamespace()).isEqualTo("views");
        assertThat(settings.tokenSecret()).isEmpty();
        assertThat(settings.describe()).contains("arcana.centrifugo.api-key=(set)").doesNotContain("=k,");
    }

    @Test
    void aBaseUrlUnderAPathKeepsItsPath() {
        CentrifugoSettings settings = CentrifugoSettings.of(Map.of(
                CentrifugoSettings.URL, "https://rt.example.com/centrifugo/", CentrifugoSettings.API_KEY, "k"));
        assertThat(settings.apiBase().resolve("publish"))
                .isEqualTo(URI.create("https://rt.example.com/centrifugo/api/publish"));
    }

    @Test
    void missingUrlAndKeyAreBothNamed() {
        assertThatThrownBy(() -> CentrifugoSettings.of(Map.of()))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith(CentrifugoSettings.URL + " is required"))
                        .anySatisfy(p -> assertThat(p).startsWith(CentrifugoSettings.API_KEY + " is required")));
    }

    @Test
    void everyBadValueIsReportedAtOnce() {
        Map<String, String> values = new java.util.HashMap<>(MINIMAL);
        values.put(CentrifugoSettings.URL, "http://centrifugo:8000/api");
        values.put(CentrifugoSettings.MAX_IN_FLIGHT, "0");
        values.put(CentrifugoSettings.QUEUE_LIMIT, "lots");
        values.put(CentrifugoSettings.BATCH, "maybe");
        values.put(CentrifugoSettings.VIEWS_NAMESPACE, "has space");
        values.put(CentrifugoSettings.TOKEN_SECRET, "short");
        values.put(CentrifugoSettings.RETRY_BASE_MS, "500");
        values.put(CentrifugoSettings.RETRY_MAX_MS, "100");

        assertThatThrownBy(() -> CentrifugoSettings.of(values))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .hasSize(7)
                        .anySatisfy(p -> assertThat(p).contains("appends /api itself"))
                        .anySatisfy(p -> assertThat(p).contains(CentrifugoSettings.MAX_IN_FLIGHT))
                        .anySatisfy(p -> assertThat(p).contains(CentrifugoSettings.QUEUE_LIMIT + "='lots'"))
                        .anySatisfy(p -> assertThat(p).contains(CentrifugoSettings.BATCH))
                        .anySatisfy(p -> assertThat(p).contains("has space"))
                        .anySatisfy(p -> assertThat(p).contains("at least 32"))
                        .anySatisfy(p -> assertThat(p).contains(CentrifugoSettings.RETRY_MAX_MS)));
    }

    @Test
    void namespacesMustDiffer() {
        Map<String, String> values = new java.util.HashMap<>(MINIMAL);
        values.put(CentrifugoSettings.WORKSPACE_NAMESPACE, "live");
        values.put(CentrifugoSettings.VIEWS_NAMESPACE, "live");
        assertThatThrownBy(() -> CentrifugoSettings.of(values)).hasMessageContaining("must differ");
    }

    @Test
    void notAnHttpUrl() {
        assertThatThrownBy(() -> CentrifugoSettings.of(Map.of(CentrifugoSettings.URL, "ftp://x",
                CentrifugoSettings.API_KEY, "k"))).hasMessageContaining("must be an http(s) URL");
    }

    @Test
    void theSectionIsReadOnlyWhenCentrifugoIsTheTransport() {
        assertThat(ArcanaSettings.of(Map.of()).section(CentrifugoSettings.class)).isEmpty();
        assertThat(ArcanaSettings.of(Map.of(ArcanaSettings.TRANSPORT, "centrifugo", CentrifugoSettings.URL,
                "http://centrifugo:8000", CentrifugoSettings.API_KEY, "k")).section(CentrifugoSettings.class))
                .get().extracting(CentrifugoSettings::apiKey).isEqualTo("k");
        // selected without its required keys: reported in the one pass, with the core's bad keys
        assertThatThrownBy(() -> new ArcanaSettings(key -> Optional.ofNullable(Map.of(ArcanaSettings.TRANSPORT,
                "centrifugo", ArcanaSettings.MOUNT, "/arcana/").get(key))))
                .isInstanceOfSatisfying(InvalidSettingsException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("arcana.mount='/arcana/' must be a path"))
                        .anySatisfy(p -> assertThat(p).startsWith(CentrifugoSettings.URL + " is required")));
    }
}
