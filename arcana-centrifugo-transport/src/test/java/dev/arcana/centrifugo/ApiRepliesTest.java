package dev.arcana.centrifugo;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Errors inside HTTP 200 bodies, in the shapes of Centrifugo's server API documentation. */
class ApiRepliesTest {
    private static final JsonObject DATA = Json.createObjectBuilder().add("type", "resync").build();
    private final Command toS1 = Command.publish("views:s1", DATA);
    private final Command toS2AndS3 = Command.broadcast(List.of("views:s2", "views:s3"), DATA);

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text.replace('\'', '"'))).readObject();
    }

    @Test
    void aPublishResultIsOneDelivery() {
        ApiReplies.Outcome outcome = ApiReplies.single(toS1, json("{'result':{'offset':3,'epoch':'x'}}"));
        assertThat(outcome).isEqualTo(new ApiReplies.Outcome(1, List.of(), 0, null));
    }

    @Test
    void aTopLevelErrorFailsTheCommand() {
        ApiReplies.Outcome outcome = ApiReplies.single(toS1, json("{'error':{'code':102,'message':'unknown channel'}}"));
        assertThat(outcome).isEqualTo(new ApiReplies.Outcome(0, List.of("views:s1"), 1, "102 unknown channel"));
    }

    @Test
    void aBroadcastReportsEachChannel() {
        ApiReplies.Outcome outcome = ApiReplies.single(toS2AndS3, json("{'result':{'responses':["
                + "{'result':{}},{'error':{'code':100,'message':'internal server error'}}]}}"));
        assertThat(outcome).isEqualTo(new ApiReplies.Outcome(1, List.of("views:s3"), 1, "100 internal server error"));
    }

    @Test
    void batchRepliesAreMatchedToCommandsInOrder() {
        ApiReplies.Outcome outcome = ApiReplies.batch(List.of(toS1, toS2AndS3), json("{'replies':["
                + "{'error':{'code':107,'message':'bad request'}},"
                + "{'broadcast':{'responses':[{'result':{}},{'result':{}}]}}]}"));
        assertThat(outcome).isEqualTo(new ApiReplies.Outcome(2, List.of("views:s1"), 1, "107 bad request"));
    }

    @Test
    void aBatchRefusedAsAWholeIsOneErrorForEveryChannel() {
        ApiReplies.Outcome outcome = ApiReplies.batch(List.of(toS1, toS2AndS3),
                json("{'error':{'code':100,'message':'internal server error'}}"));
        assertThat(outcome.failed()).containsExactly("views:s1", "views:s2", "views:s3");
        assertThat(outcome.apiErrors()).isEqualTo(1);
        assertThat(outcome.delivered()).isZero();
    }

    @Test
    void aBatchReplyWithTheWrongNumberOfRepliesCountsAsFailed() {
        ApiReplies.Outcome outcome = ApiReplies.batch(List.of(toS1, toS2AndS3), json("{'replies':[{'publish':{}}]}"));
        assertThat(outcome.delivered()).isZero();
        assertThat(outcome.failed()).containsExactly("views:s1", "views:s2", "views:s3");
        assertThat(outcome.apiErrors()).isEqualTo(1);
    }

    @Test
    void aReplyForAnotherMethodIsNotASuccess() {
        ApiReplies.Outcome outcome = ApiReplies.batch(List.of(toS1), json("{'replies':[{'disconnect':{}}]}"));
        assertThat(outcome.failed()).containsExactly("views:s1");
    }
}
