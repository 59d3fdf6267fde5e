package dev.arcana.centrifugo;

import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.Identity;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.wire.WireFormat;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code GET {arcana.mount}/centrifugo/token}: the caller's Centrifugo connection token, for the
 * identity the application's {@link dev.arcana.api.spi.IdentityResolver} finds in the request (as for every Arcana
 * endpoint). Reply {@code {"ok":true,"data":{"token","expires_in","channels":[...]}}}; with
 * {@code ?channel=...} a subscription token for that channel instead, 403 {@code forbidden} for a
 * channel that is not the caller's; 401 {@code unauthorized} without an identity; 403
 * {@code forbidden} for a seance of another identity (the engine's seance ownership).
 * Responses are {@code Cache-Control: no-store}.
 */
final class CentrifugoTokenServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private final transient CentrifugoTokens tokens;
    private final transient IdentityResolution identities;
    private final transient Supplier<Arcana> engine;

    /**
     * @param identities the one identity path shared with HTTP and WebSocket: a refused or throwing
     *                   resolver is 401 {@code unauthorized}, a resolver's own error keeps its code
     * @param engine the running engine: it claims the caller's seance before a token for it is
     *               signed (403 {@code forbidden} for another identity's seance, 429
     *               {@code too_many_seances}, 503 {@code not_ready})
     */
    CentrifugoTokenServlet(CentrifugoTokens tokens, IdentityResolution identities, Supplier<Arcana> engine) {
        this.tokens = tokens;
        this.identities = identities;
        this.engine = engine;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonObject body;
        int status = 200;
        try {
            body = WireFormat.ok(token(request));
        } catch (ArcanaException e) {
            status = e.code().httpStatus();
            body = WireFormat.error(e);
        }
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(body.toString());
    }

    private JsonObject token(HttpServletRequest request) {
        Identity identity = identities.resolve(new ServletIdentityRequest(request));
        // a token for the seance channel would deliver the seance's view_diffs: only to its owner
        engine.get().claimSeance(identity);
        String channel = request.getParameter("channel");
        if (channel != null) {
            return Json.createObjectBuilder()
                    .add("token", tokens.subscriptionToken(identity, channel))
                    .add("channel", channel)
                    .add("expires_in", tokens.ttl().toSeconds())
                    .build();
        }
        JsonArrayBuilder channels = Json.createArrayBuilder();
        tokens.channelsOf(identity).forEach(channels::add);
        return Json.createObjectBuilder()
                .add("token", tokens.connectionToken(identity))
                .add("expires_in", tokens.ttl().toSeconds())
                .add("channels", channels)
                .build();
    }
}
