package dev.arcana.example.tasks;

import dev.arcana.api.Arcana;
import dev.arcana.api.ArcanaException;
import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.Identity;
import dev.arcana.api.spi.IdentityResolver;
import dev.arcana.ee.rest.HttpIdentityRequest;
import dev.arcana.ee.rest.RequestBodies;
import dev.arcana.wire.WireFormat;
import dev.arcana.wire.WireRequests;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

/**
 * The demo page's write API, scoped to the caller's workspace. Each write tells the engine what
 * changed (explicit mode); with a change detector configured, direct SQL writes go live too.
 */
@Path("tasks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TaskResource {
    private static final System.Logger LOG = System.getLogger(TaskResource.class.getName());
    /** Largest task write body: a 200-character title and the other fields fit many times over. */
    static final int MAX_BODY_BYTES = 16_384;

    @Inject
    TaskRepository tasks;
    @Inject
    Arcana arcana;
    @Inject
    IdentityResolver identities;
    @Context
    HttpHeaders headers;
    @Context
    UriInfo uriInfo;
    @Context
    SecurityContext security;

    @POST
    public Response create(InputStream body) {
        return handle(() -> {
            Identity identity = identity();
            TaskInput input = TaskInput.parse(read(body));
            if (input.title().isEmpty()) {
                throw ArcanaException.badRequest("'title' is required");
            }
            if (input.done().isPresent() || input.position().isPresent()) {
                throw ArcanaException.badRequest("only 'title' and 'assignee_id' can be set on create");
            }
            JsonObject task = tasks.create(identity.workspaceId(), input.title().get(),
                    input.assignee().orElse(java.util.Optional.empty()));
            arcana.notify(new Change("tasks", task.getString("id"), ChangeOp.INSERT, Set.of(), identity.workspaceId()));
            return Response.status(Response.Status.CREATED).entity(task).build();
        });
    }

    @PATCH
    @Path("{id}")
    public Response update(@PathParam("id") String id, InputStream body) {
        return handle(() -> {
            Identity identity = identity();
            UUID taskId = TaskInput.uuid(id, "task id");
            TaskInput input = TaskInput.parse(read(body));
            if (input.isEmpty()) {
                throw ArcanaException.badRequest("nothing to update: give title, done, position or assignee_id");
            }
            JsonObject task = tasks.update(identity.workspaceId(), taskId, input);
            arcana.notify(new Change("tasks", task.getString("id"), ChangeOp.UPDATE, Set.of(), identity.workspaceId()));
            return Response.ok(task).build();
        });
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return handle(() -> {
            Identity identity = identity();
            UUID taskId = TaskInput.uuid(id, "task id");
            tasks.delete(identity.workspaceId(), taskId);
            arcana.notify(new Change("tasks", taskId.toString(), ChangeOp.DELETE, Set.of(), identity.workspaceId()));
            return Response.noContent().build();
        });
    }

    /**
     * The body as a strict JSON object, read as a stream under {@link #MAX_BODY_BYTES}: a larger
     * declared or actual body is 413 {@code too_large} without being read in full.
     */
    private JsonObject read(InputStream body) {
        return WireRequests.parseObject(
                RequestBodies.readUtf8(body, headers.getHeaderString(HttpHeaders.CONTENT_LENGTH), MAX_BODY_BYTES));
    }

    private Identity identity() {
        return identities.resolve(new HttpIdentityRequest(headers, uriInfo, security))
                .orElseThrow(() -> ArcanaException.unauthorized("missing X-Seance-ID, X-User-ID or X-Workspace-ID"));
    }

    private interface Action {
        Response run() throws SQLException;
    }

    private static Response handle(Action action) {
        try {
            return action.run();
        } catch (ArcanaException e) {
            return Response.status(e.code().httpStatus()).entity(WireFormat.error(e)).build();
        } catch (SQLException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "ARCANA-EXAMPLE: task write failed", e);
            return Response.serverError()
                    .entity(WireFormat.error(ArcanaException.internal("the task could not be saved", e))).build();
        }
    }
}
