package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DevTools on Liberty: server B runs the example as shipped (DevTools on, role admin gets
 * {@code arcana:devtools}); server A sets {@code arcana.devtools.enabled=false}. Everything that may
 * not see DevTools gets the very 404 of an unknown path.
 */
class DevtoolsIT {
    private static final URI A = ExampleServer.BASE_URL;
    private static final URI B = ChangeDetectionIT.Server.WAL.base;

    record Raw(int status, String contentType, String csp, String body) {
        JsonObject json() {
            return ExampleServer.json(body);
        }
    }

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
        ChangeDetectionIT.Server.WAL.awaitDetectorUp();
    }

    private static Raw get(URI base, String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> response = ExampleServer.http().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Raw(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Content-Security-Policy").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String[] identity(String seance, String user, String workspace, String role, String permissions) {
        return new String[] {"X-Seance-ID", seance, "X-User-ID", user, "X-Workspace-ID", workspace, "X-Role", role,
                "X-Permissions", permissions};
    }

    private static String[] admin(String workspace) {
        return identity("s-devtools-" + UUID.randomUUID(), "root", workspace, "admin", "");
    }

    private static void assertLikeAnUnknownPath(URI base, Raw reply) {
        Raw unknown = get(base, "/arcana/no-such-endpoint");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.body()).isEqualTo(unknown.body());
        assertThat(reply.contentType()).isEqualTo(unknown.contentType());
        assertThat(reply.csp()).isNull();
    }

    @Test
    void disabledItIsAnUnknownPathEvenForAnAdmin() {
        String[] admin = identity("s-" + UUID.randomUUID(), "root", "acme", "admin", "arcana:devtools:all");
        assertLikeAnUnknownPath(A, get(A, "/arcana/devtools", admin));
        assertLikeAnUnknownPath(A, get(A, "/arcana/devtools/state", admin));
    }

    @Test
    void withoutIdentityOrPermissionItIsAnUnknownPath() {
        String workspace = "dt-" + UUID.randomUUID();
        for (String path : List.of("/arcana/devtools", "/arcana/devtools/state")) {
            assertLikeAnUnknownPath(B, get(B, path));
            assertLikeAnUnknownPath(B, get(B, path, identity("s-" + UUID.randomUUID(), "ada", workspace, "member", "")));
            assertLikeAnUnknownPath(B, get(B, path, identity("s-" + UUID.randomUUID(), "ada", workspace, "member",
                    "arcana:devtool,devtools")));
        }
    }

    @Test
    void thePageIsSelfContainedUnderAStrictPolicyWithAFreshNonce() {
        Raw first = get(B, "/arcana/devtools", admin("acme"));
        Raw second = get(B, "/arcana/devtools", admin("acme"));
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.contentType()).startsWith("text/html");
        assertThat(first.csp()).contains("default-src 'none'", "frame-ancestors 'none'").doesNotContain("unsafe-eval");
        String nonce = first.csp().replaceAll(".*'nonce-([^']+)'.*", "$1");
        assertThat(first.body()).contains("<script nonce=\"" + nonce + "\">").doesNotContain("{{nonce}}")
                .doesNotContain("innerHTML").doesNotContain("src=\"http");
        assertThat(second.csp()).isNotEqualTo(first.csp());
    }

    @Test
    void anAdminSeesItsOwnWorkspaceOnlyWithSeanceIdsMaskedAndAnOperatorSeesEvery() {
        String theirs = "dt-theirs-" + UUID.randomUUID();
        String mine = "dt-mine-" + UUID.randomUUID();
        String theirSeance = "s-secret-" + UUID.randomUUID();
        Http.Reply subscribed = Http.callAt(B, "POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                Http.as(theirSeance, "eve", theirs));
        assertThat(subscribed.status()).isEqualTo(200);
        Database.transaction(Database.insertTask(UUID.randomUUID().toString(), mine, "Mine", 1),
                Database.insertTask(UUID.randomUUID().toString(), theirs, "Theirs", 1));
        String mySeance = "s-mine-" + UUID.randomUUID();
        assertThat(Http.callAt(B, "POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{\"limit\":3}}",
                Http.as(mySeance, "root", mine)).status()).isEqualTo(200);

        Raw own = get(B, "/arcana/devtools/state", identity(mySeance, "root", mine, "admin", ""));
        assertThat(own.status()).as(own.body()).isEqualTo(200);
        JsonObject data = own.json().getJsonObject("data");
        assertThat(data.getString("scope")).isEqualTo("workspace " + mine);
        assertThat(data.getJsonArray("instances")).isNotEmpty().allSatisfy(instance ->
                assertThat(instance.asJsonObject().getString("workspace")).isEqualTo(mine));
        assertThat(data.getJsonArray("instances").getJsonObject(0).getJsonObject("params").getInt("limit")).isEqualTo(3);
        assertThat(data.getJsonArray("store")).isNotEmpty().allSatisfy(table ->
                assertThat(table.asJsonObject().getString("workspace")).isEqualTo(mine));
        assertThat(data.getJsonArray("seances")).singleElement().satisfies(seance -> {
            assertThat(seance.asJsonObject().getString("user")).isEqualTo("root");
            assertThat(seance.asJsonObject().getString("seance")).isEqualTo(mySeance.substring(0, 4) + "…");
        });
        assertThat(own.body()).doesNotContain(theirs).doesNotContain(mySeance).doesNotContain(theirSeance);

        Raw all = get(B, "/arcana/devtools/state?only_workspace=" + theirs,
                identity(mySeance, "root", mine, "", "arcana:devtools:all"));
        assertThat(all.status()).isEqualTo(200);
        JsonObject everyone = all.json().getJsonObject("data");
        assertThat(everyone.getString("scope")).isEqualTo("all workspaces");
        assertThat(everyone.getJsonArray("instances")).singleElement().satisfies(instance ->
                assertThat(instance.asJsonObject().getString("workspace")).isEqualTo(theirs));
        assertThat(all.body()).doesNotContain(theirSeance);
    }

    @Test
    void aChangeShowsItsRunsWithTheirHopsInOrder() {
        String workspace = "dt-change-" + UUID.randomUUID();
        String seance = "s-hops-" + UUID.randomUUID();
        assertThat(Http.callAt(B, "POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                Http.as(seance, "root", workspace)).status()).isEqualTo(200);
        String task = UUID.randomUUID().toString();
        Database.transaction(Database.insertTask(task, workspace, "Traced", 1));

        String[] viewer = identity(seance, "root", workspace, "admin", "");
        await("the change and its run in DevTools").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> get(B, "/arcana/devtools/state?only_table=tasks", viewer).json().getJsonObject("data")
                        .getJsonArray("recent_changes").stream().map(JsonObject.class::cast)
                        .anyMatch(change -> task.equals(change.getString("id", null))
                                && !change.getJsonArray("runs").isEmpty()));
        JsonObject change = get(B, "/arcana/devtools/state?only_table=tasks", viewer).json().getJsonObject("data")
                .getJsonArray("recent_changes").stream().map(JsonObject.class::cast)
                .filter(c -> task.equals(c.getString("id", null))).findFirst().orElseThrow();
        assertThat(change.getString("op")).isEqualTo("INSERT");
        JsonObject run = change.getJsonArray("runs").getJsonObject(0);
        assertThat(run.getString("graph")).isEqualTo("task_list");
        double started = run.getJsonNumber("run_started_ms").doubleValue();
        double finished = run.getJsonNumber("run_finished_ms").doubleValue();
        double pushed = run.getJsonNumber("pushed_ms").doubleValue();
        assertThat(started).isGreaterThanOrEqualTo(0);
        assertThat(finished).isGreaterThanOrEqualTo(started);
        assertThat(pushed).isGreaterThanOrEqualTo(finished);
    }

    @Test
    void badFiltersAreRefusedWithA400() {
        for (String query : List.of("only_graph=%3Cscript%3E", "only_table=a%20b", "only_workspace=" + "x".repeat(129))) {
            Raw reply = get(B, "/arcana/devtools/state?" + query, admin("acme"));
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().getString("code")).isEqualTo("bad_request");
        }
        Raw other = get(B, "/arcana/devtools/state?only_graph=no_such_graph", admin("acme"));
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json().getJsonObject("data").getJsonArray("instances")).isEmpty();
    }
}
