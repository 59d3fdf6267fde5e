package dev.arcana.ee.rest;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.Identity;
import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.DevtoolsSettings;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.engine.Introspection;
import dev.arcana.wire.DevtoolsFormat;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * DevTools: {@code GET {mount}/devtools} (the page) and {@code GET {mount}/devtools/state} (its data).
 * Off unless {@code arcana.devtools.enabled}; then only for identities the application's resolver
 * grants {@link DevtoolsSettings#PERMISSION} (their workspace) or {@link DevtoolsSettings#PERMISSION_ALL}
 * (every workspace). Everyone else — no identity, no permission, DevTools off — gets exactly the 404
 * of an unknown path: nothing tells that DevTools exists.
 */
@Path("devtools")
@RequestScoped
public class DevtoolsResource {
    /** A filter value: an id, a graph key or a table name. */
    private static final Pattern FILTER = Pattern.compile("[A-Za-z0-9_.:@-]{1,128}");
    private static final int ROWS_PER_TABLE = 50;
    /** The page loads nothing from elsewhere and runs only its own script (by a per-response nonce). */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'nonce-%s'; "
            + "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";
    private static final java.security.SecureRandom NONCES = new java.security.SecureRandom();

    @Inject
    ArcanaRuntime runtime;
    @Inject
    IdentityResolution identities;
    @Inject
    ArcanaSettings settings;

    @Context
    HttpHeaders headers;
    @Context
    UriInfo uriInfo;
    @Context
    SecurityContext security;
    @Context
    Configuration configuration;

    @GET
    public Response page() {
        if (viewer().isEmpty()) {
            return notFound();
        }
        byte[] random = new byte[18];
        NONCES.nextBytes(random);
        String nonce = java.util.Base64.getEncoder().encodeToString(random);
        return Response.ok(pageHtml().replace("{{nonce}}", nonce), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Content-Security-Policy", String.format(CONTENT_SECURITY_POLICY, nonce))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store")
                .build();
    }

    @GET
    @Path("state")
    public Response state(@QueryParam("only_workspace") String workspace, @QueryParam("only_graph") String graph,
                          @QueryParam("only_table") String table) {
        Optional<Identity> viewer = viewer();
        if (viewer.isEmpty()) {
            return notFound();
        }
        String workspaceFilter = filter("only_workspace", workspace);
        String graphFilter = filter("only_graph", graph);
        String tableFilter = filter("only_table", table);
        Identity identity = viewer.get();
        boolean all = identity.hasPermission(DevtoolsSettings.PERMISSION_ALL);
        Predicate<String> visible = all ? workspaceId -> true : identity.workspaceId()::equals;
        Introspection state = runtime.runningEngine().introspect(visible, workspaceFilter, graphFilter, tableFilter,
                ROWS_PER_TABLE);
        Response ok = Envelopes.ok(DevtoolsFormat.state(state, runtime.runningEngine().schema(),
                all ? "all workspaces" : "workspace " + identity.workspaceId()));
        return Response.fromResponse(ok).header("Cache-Control", "no-store").build();
    }

    /** The identity allowed to see DevTools here, if any (any failure to resolve one is "none"). */
    private Optional<Identity> viewer() {
        if (!settings.devtoolsSettings().enabled() || !ArcanaRestApplication.serves(configuration)) {
            return Optional.empty();
        }
        try {
            Identity identity = identities.resolve(new HttpIdentityRequest(headers, uriInfo, security));
            return identity.hasPermission(DevtoolsSettings.PERMISSION)
                    || identity.hasPermission(DevtoolsSettings.PERMISSION_ALL) ? Optional.of(identity) : Optional.empty();
        } catch (ArcanaException unauthenticated) {
            return Optional.empty();
        }
    }

    private static String filter(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!FILTER.matcher(value).matches()) {
            throw ArcanaException.badRequest(name + " must be 1-128 of A-Z a-z 0-9 _ . : @ -");
        }
        return value;
    }

    private static Response notFound() {
        return ErrorEnvelope.ofStatus(404).toResponse();
    }

    private static String pageHtml() {
        try (InputStream in = DevtoolsResource.class.getResourceAsStream("devtools.html")) {
            if (in == null) {
                throw new IllegalStateException("devtools.html is missing from the arcana-ee jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
