package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real login on server C ("arcana-it-jwt": MicroProfile JWT, {@code arcana.identity=container}):
 * tokens signed with the test-only key of src/test/resources/jwt. REST endpoints and WebSocket
 * handshakes share the login; the demo identity headers count for nothing; a graph that requires a
 * role the user lacks answers 403 without running its factory.
 */
class ContainerIdentityIT {
    private static final URI SERVER = URI.create(System.getProperty("arcana.it.jwt.baseUrl", "http://localhost:9182"));

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady(); // A owns the database
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            try {
                return call("GET", "/arcana/health", null, token("probe", "probe", "member"), "probe").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    @Test
    void aLoggedInUserSubscribesInTheTokensWorkspaceWhateverTheDemoHeadersClaim() {
        String workspace = "jwt-" + UUID.randomUUID();
        String taskId = UUID.randomUUID().toString();
        Database.transaction(Database.insertTask(taskId, workspace, "Only for " + workspace, 1));
        String seance = "s-" + UUID.randomUUID();

        Http.Reply reply = call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                token("ada", workspace, "member"), seance,
                "X-User-ID", "mallory", "X-Workspace-ID", "acme"); // ignored: the token says who this is
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(200);
        assertThat(reply.body().getJsonObject("data").getJsonObject("tables").getJsonObject("tasks").keySet())
                .containsExactly(taskId);
        assertThat(call("GET", "/arcana/active", null, token("ada", workspace, "member"), seance).body()
                .getJsonArray("data")).hasSize(1);
    }

    @Test
    void withoutATokenTheDemoHeadersAloneAreRefused() {
        Http.Reply reply = Http.callAt(SERVER, "POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                Http.as("s-" + UUID.randomUUID(), "ada", "acme"));
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().getString("code")).isEqualTo("unauthorized");
    }

    @Test
    void aForgedTokenIsRefused() {
        String forged = token("ada", "acme", "admin");
        forged = forged.substring(0, forged.lastIndexOf('.') + 1) + "c2lnbmF0dXJl"; // a signature of nothing
        // refused by the server's JWT check itself, whose body need not be Arcana's envelope
        HttpRequest request = HttpRequest.newBuilder(SERVER.resolve("/arcana/active")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + forged).header("X-Seance-ID", "s-" + UUID.randomUUID()).build();
        try {
            HttpResponse<String> response = ExampleServer.http().send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.body()).doesNotContain("Exception").doesNotContain("java.");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSeanceIsBoundToItsSubjectSoAnotherLoginCannotUseIt() {
        String workspace = "jwt-" + UUID.randomUUID();
        String seance = "s-" + UUID.randomUUID();
        assertThat(call("POST", "/arcana/subscribe", "{\"view\":\"task_list\",\"params\":{}}",
                token("ada", workspace, "member"), seance).status()).isEqualTo(200);

        Http.Reply other = call("GET", "/arcana/active", null, token("bob", workspace, "member"), seance);
        assertThat(other.status()).isEqualTo(403);
        assertThat(other.body().getString("code")).isEqualTo("forbidden");
    }

    @Test
    void aGraphRequiringARoleTheUserLacksIs403AndRunsNoFactory() {
        String workspace = "jwt-" + UUID.randomUUID();
        long before = runs();
        Http.Reply refused = call("POST", "/arcana/subscribe", "{\"view\":\"people_admin\",\"params\":{}}",
                token("ada", workspace, "member"), "s-" + UUID.randomUUID());
        assertThat(refused.status()).as("%s", refused.body()).isEqualTo(403);
        assertThat(refused.body().getString("code")).isEqualTo("forbidden");
        assertThat(runs()).as("no factory ran for the refused view").isEqualTo(before);

        Http.Reply admitted = call("POST", "/arcana/subscribe", "{\"view\":\"people_admin\",\"params\":{}}",
                token("grace", workspace, "admin"), "s-" + UUID.randomUUID());
        assertThat(admitted.status()).as("%s", admitted.body()).isEqualTo(200);
        assertThat(runs()).isEqualTo(before + 1);
    }

    @Test
    void theWebSocketHandshakeSharesTheLogin() {
        String workspace = "jwt-" + UUID.randomUUID();
        String url = SERVER.toString().replaceFirst("^http", "ws") + "/arcana/ws?seance=s-" + UUID.randomUUID();
        try (WsClient client = WsClient.connect(url, true,
                Map.of("Authorization", "Bearer " + token("ada", workspace, "member")))) {
            JsonObject snapshot = client.request(ExampleServer.json(
                    "{\"type\":\"subscribe\",\"view\":\"task_list\",\"params\":{}}"));
            assertThat(snapshot.getString("type")).as("%s", snapshot).isEqualTo("snapshot");
            JsonObject refused = client.request(ExampleServer.json(
                    "{\"type\":\"subscribe\",\"view\":\"people_admin\",\"params\":{}}"));
            assertThat(refused.getString("code")).isEqualTo("forbidden");
        }
        String demoOnly = url + "&user=ada&workspace=" + workspace; // the demo's query parameters, no token
        try (WsClient anonymous = WsClient.connect(demoOnly)) {
            assertThat(anonymous.awaitClose(Duration.ofSeconds(15))).isEqualTo(1008);
        }
    }

    private static long runs() {
        return call("GET", "/arcana/health", null, token("probe", "probe", "member"), "probe").body()
                .getJsonObject("data").getJsonNumber("factory_runs").longValue();
    }

    static Http.Reply call(String method, String path, String body, String token, String seance,
                                   String... extraHeaders) {
        String[] headers = new String[4 + extraHeaders.length];
        headers[0] = "Authorization";
        headers[1] = "Bearer " + token;
        headers[2] = "X-Seance-ID";
        headers[3] = seance;
        System.arraycopy(extraHeaders, 0, headers, 4, extraHeaders.length);
        return Http.callAt(SERVER, method, path, body, headers);
    }

    /** An RS256 token of the test issuer: {@code upn} the user, the workspace claim and one group. */
    static String token(String user, String workspace, String group) {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"https://arcana.test\",\"sub\":\"" + user + "\",\"upn\":\"" + user
                + "\",\"workspace\":\"" + workspace + "\",\"groups\":[\"" + group + "\"],\"iat\":" + now
                + ",\"exp\":" + (now + 600) + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String input = base64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey());
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + base64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static PrivateKey privateKey() throws GeneralSecurityException {
        try (var in = ContainerIdentityIT.class.getResourceAsStream("/jwt/test-private.pem")) {
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
