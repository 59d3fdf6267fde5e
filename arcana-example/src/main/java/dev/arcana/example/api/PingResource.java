package dev.arcana.example.api;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.RequestScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** {@code GET /api/ping} → {@code {"ok":true,"users":N}}: the app is up and its DataSource reaches the demo data. */
@Path("ping")
@RequestScoped
public class PingResource {

    @Resource(lookup = "java:comp/env/jdbc/arcana")
    DataSource dataSource;

    /**
     * Not used here: injecting it makes ping fail if the server lacks Jakarta Concurrency's default scheduled executor,
     * which the engine runs on (so the ITs check it too).
     */
    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public JsonObject ping() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from users")) {
            rs.next();
            return Json.createObjectBuilder().add("ok", true).add("users", rs.getLong(1)).build();
        }
    }
}
