package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityResolver;
import dev.arcana.ee.IdentityResolution;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The token endpoint resolves identities through {@link IdentityResolution}, like HTTP and WebSocket. */
class CentrifugoTokenServletTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final CentrifugoTokens tokens = new CentrifugoTokens(SECRET, new Channels("ws", "views"),
            Duration.ofMinutes(10), Clock.systemUTC());
    private final AtomicInteger claims = new AtomicInteger();
    /** Only claimSeance is called by the servlet; it counts. */
    private final Arcana engine = (Arcana) Proxy.newProxyInstance(Arcana.class.getClassLoader(),
            new Class<?>[] {Arcana.class}, (proxy, method, args) -> {
                if (method.getName().equals("claimSeance")) {
                    claims.incrementAndGet();
                    return null;
                }
                throw new UnsupportedOperationException(method.getName());
            });

    private Reply get(IdentityResolver resolver) throws Exception {
        CentrifugoTokenServlet servlet = new CentrifugoTokenServlet(tokens, IdentityResolution.of(resolver),
                () -> engine);
        HttpServletRequest request = (HttpServletRequest) Proxy.newProxyInstance(
                HttpServletRequest.class.getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) -> null); // no headers, parameters, cookies or principal
        Map<String, Object> seen = new HashMap<>();
        StringWriter body = new StringWriter();
        PrintWriter writer = new PrintWriter(body);
        HttpServletResponse response = (HttpServletResponse) Proxy.newProxyInstance(
                HttpServletResponse.class.getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getWriter")) {
                        return writer;
                    }
                    if (method.getName().equals("setStatus")) {
                        seen.put("status", args[0]);
                    }
                    return null;
                });
        servlet.doGet(request, response);
        writer.flush();
        return new Reply((Integer) seen.get("status"),
                Json.createReader(new StringReader(body.toString())).readObject());
    }

    private record Reply(int status, JsonObject body) {
    }

    @Test
    void resolvedIdentityGetsATokenForItsClaimedSeance() throws Exception {
        Reply reply = get(request -> Optional.of(new Identity("s1", "ada", "acme")));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body().getJsonObject("data").getString("token")).isNotBlank();
        assertThat(claims).hasValue(1);
    }

    @Test
    void throwingResolverIsUnauthorizedNotAServerError() throws Exception {
        Reply reply = get(request -> {
            throw new IllegalArgumentException("seanceId must not be blank");
        });
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().getString("code")).isEqualTo("unauthorized");
        assertThat(claims).hasValue(0);
    }

    @Test
    void noIdentityIsUnauthorized() throws Exception {
        Reply reply = get(request -> Optional.empty());
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.body().getString("code")).isEqualTo("unauthorized");
    }

    @Test
    void resolversOwnRefusalKeepsItsCode() throws Exception {
        Reply reply = get(request -> {
            throw new ArcanaException(ErrorCode.FORBIDDEN, "account locked");
        });
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.body().getString("code")).isEqualTo("forbidden");
        assertThat(claims).hasValue(0);
    }
}
