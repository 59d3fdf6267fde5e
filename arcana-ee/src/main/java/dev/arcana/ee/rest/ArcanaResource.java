package dev.arcana.ee.rest;

import dev.arcana.api.EngineStats;
import dev.arcana.api.Identity;
import dev.arcana.api.MutationOutcome;
import dev.arcana.api.Snapshot;
import dev.arcana.ee.ArcanaRuntime;
import dev.arcana.ee.ArcanaSettings;
import dev.arcana.ee.IdentityResolution;
import dev.arcana.engine.ArcanaEngine;
import dev.arcana.wire.WireFormat;
import dev.arcana.wire.WireRequests;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.util.function.Function;

/**
 * The HTTP endpoints of PROTOCOL.md, a thin adapter: resolve the identity, read the body under the
 * size limit, parse it ({@link WireRequests}), call the engine, render the result
 * ({@link WireFormat}). Failures are thrown and rendered by the exception mappers.
 *
 * <p>Request bodies must be {@code application/json}: besides being the protocol, that keeps
 * cross-site pages from posting here without a CORS preflight (other types answer 415
 * {@code bad_request}).
 */
@Path("/")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ArcanaResource {

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

    @POST
    @Path("subscribe")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response subscribe(InputStream body) {
        return handle(identity -> {
            WireRequests.Subscribe request = WireRequests.subscribe(readObject(body));
            Snapshot snapshot = engine().subscribe(identity, request.view(), request.params());
            return WireFormat.snapshot(snapshot);
        });
    }

    @POST
    @Path("unsubscribe")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response unsubscribe(InputStream body) {
        return handle(identity -> {
            WireRequests.Unsubscribe request = WireRequests.unsubscribe(readObject(body));
            engine().unsubscribe(identity, request.view(), request.paramsHash());
            return JsonValue.NULL;
        });
    }

    /** Runs a mutation; the outcome's fields stand beside {@code ok} (PROTOCOL.md, "Mutations"). */
    @POST
    @Path("mutate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response mutate(InputStream body) {
        return respond(identity -> {
            WireRequests.Mutate request = WireRequests.mutate(readObject(body));
            MutationOutcome outcome = engine().mutate(identity, request.action(), request.params(), request.mutationId());
            return Envelopes.okWith(WireFormat.mutationOutcome(outcome));
        });
    }

    @POST
    @Path("sync")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response sync(InputStream body) {
        return handle(identity -> WireFormat.syncResult(engine().sync(identity, WireRequests.sync(readObject(body)))));
    }

    @GET
    @Path("active")
    public Response active() {
        return handle(identity -> WireFormat.active(engine().active(identity)));
    }

    @GET
    @Path("schema")
    public Response schema() {
        return handle(identity -> WireFormat.schema(engine().schema()));
    }

    @GET
    @Path("health")
    public Response health() {
        return handle(identity -> {
            // answers while the engine is down too: that is when health matters
            ArcanaEngine engine = runtime.engine().orElse(null);
            return engine == null ? WireFormat.health(emptyStats(), null)
                    : WireFormat.health(engine.stats(), engine.detectorStatus(), engine.runHops());
        });
    }

    /** Every endpoint resolves the identity first (PROTOCOL.md), then does its work: its result is the envelope's data. */
    private Response handle(Function<Identity, JsonValue> work) {
        return respond(identity -> Envelopes.ok(work.apply(identity)));
    }

    private Response respond(Function<Identity, Response> work) {
        if (!ArcanaRestApplication.serves(configuration)) {
            return ErrorEnvelope.ofStatus(404).toResponse();
        }
        Identity identity = identities.resolve(new HttpIdentityRequest(headers, uriInfo, security));
        return work.apply(identity);
    }

    private ArcanaEngine engine() {
        return runtime.runningEngine();
    }

    private JsonObject readObject(InputStream body) {
        String text = RequestBodies.readUtf8(body, headers.getHeaderString(HttpHeaders.CONTENT_LENGTH),
                settings.httpMaxBodyBytes());
        return WireRequests.parseObject(text);
    }

    private static EngineStats emptyStats() {
        return new EngineStats(false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
