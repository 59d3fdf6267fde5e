package dev.arcana.it;

import static dev.arcana.it.ChangeDetectionIT.next;
import static dev.arcana.it.ChangeDetectionIT.subscribeTasks;
import static dev.arcana.it.ChangeDetectionIT.workspace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.it.ChangeDetectionIT.Server;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: one SQL write reaches the clients of both app instances on one database, server A (trigger mode) and
 * server B (WAL mode), each with its own detector. Not portable: the other server kinds run one instance.
 */
class ScaleOutDetectionIT {

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
        for (Server server : Server.values()) {
            server.awaitDetectorUp();
        }
    }

    @Test
    void aWriteReachesClientsOnBothInstances() {
        String ws = workspace();
        try (WsClient onA = Server.TRIGGERS.connect(ws); WsClient onB = Server.WAL.connect(ws)) {
            subscribeTasks(onA);
            subscribeTasks(onB);
            String id = UUID.randomUUID().toString();
            Database.transaction(Database.insertTask(id, ws, "Seen by both", 1));
            for (WsClient client : List.of(onA, onB)) {
                assertThat(next(client, "view_diff").getJsonObject("data").getJsonObject("tables")
                        .getJsonObject("tasks").containsKey(id)).isTrue();
            }
        }
    }
}
