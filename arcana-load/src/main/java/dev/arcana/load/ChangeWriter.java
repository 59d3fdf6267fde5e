package dev.arcana.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;

/** Commits one single-row change: a task's title and position. One instance per writer thread. */
interface ChangeWriter extends AutoCloseable {

    void write(String workspace, String taskId, String title, int position) throws Exception;

    @Override
    void close() throws Exception;

    /** Plain SQL, autocommit: the statement's return is the commit. */
    static ChangeWriter sql(String jdbcUrl) throws SQLException {
        Connection c = Fixture.connect(jdbcUrl);
        PreparedStatement update = c.prepareStatement("update tasks set title = ?, position = ? where id = ?");
        return new ChangeWriter() {
            @Override
            public void write(String workspace, String taskId, String title, int position) throws SQLException {
                update.setString(1, title);
                update.setInt(2, position);
                update.setObject(3, UUID.fromString(taskId));
                if (update.executeUpdate() != 1) {
                    throw new IllegalStateException("task " + taskId + " not found");
                }
            }

            @Override
            public void close() throws SQLException {
                c.close();
            }
        };
    }

    /** The example's REST API, which writes and then notifies the engine (explicit mode). */
    static ChangeWriter api(URI baseUrl, HttpClient http) {
        return new ChangeWriter() {
            @Override
            public void write(String workspace, String taskId, String title, int position)
                    throws IOException, InterruptedException {
                HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("api/tasks/" + taskId))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Seance-ID", "load-writer").header("X-User-ID", "writer")
                        .header("X-Workspace-ID", workspace)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(
                                "{\"title\":\"" + title + "\",\"position\":" + position + "}"))
                        .build();
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("PATCH task " + taskId + ": " + response.statusCode() + " "
                            + response.body());
                }
            }

            @Override
            public void close() {
            }
        };
    }
}
