package dev.arcana.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.it.ChangeDetectionIT.Server;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: two instances of the example on one database, server A in trigger mode and server B in WAL mode. Needs
 * both servers of this module, so it is not {@value ExampleServer#PORTABLE} (the Payara and WildFly modules run one
 * server).
 */
class ScaleOutIT {

    @BeforeAll
    static void ready() {
        ExampleServer.awaitReady();
        for (Server server : Server.values()) {
            server.awaitDetectorUp();
        }
    }

    /** One SQL write reaches the clients of both app instances, each with its own detector. */
    @Test
    void aWriteReachesClientsOnBothInstances() {
        String ws = ChangeDetectionIT.workspace();
        try (WsClient onA = Server.TRIGGERS.connect(ws); WsClient onB = Server.WAL.connect(ws)) {
            ChangeDetectionIT.subscribeTasks(onA);
            ChangeDetectionIT.subscribeTasks(onB);
            String id = UUID.randomUUID().toString();
            Database.transaction(Database.insertTask(id, ws, "Seen by both", 1));
            for (WsClient client : List.of(onA, onB)) {
                assertThat(ChangeDetectionIT.next(client, "view_diff").getJsonObject("data").getJsonObject("tables")
                        .getJsonObject("tasks").containsKey(id)).isTrue();
            }
        }
    }
}
