package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NotifyPayloadTest {

    @Test
    void parsesEveryKind() {
        assertThat(NotifyPayload.parse("{\"table\" : \"users\", \"id\" : \"1\", \"op\" : \"INSERT\"}"))
                .isEqualTo(Change.insert("users", "1", null));
        assertThat(NotifyPayload.parse("{\"table\":\"users\",\"id\":\"1\",\"op\":\"UPDATE\",\"columns\":[\"name\",\"email\"],\"ws\":\"acme\"}"))
                .isEqualTo(Change.update("users", "1", "acme", "name", "email"));
        assertThat(NotifyPayload.parse("{\"table\":\"app.users\",\"id\":\"1\",\"op\":\"DELETE\",\"ws\":null}"))
                .isEqualTo(Change.delete("app.users", "1", null));
        assertThat(NotifyPayload.parse("{\"table\":\"users\",\"op\":\"TRUNCATE\"}"))
                .isEqualTo(new Change("users", null, ChangeOp.TRUNCATE, Set.of(), null));
        assertThat(NotifyPayload.parse("{\"table\":\"users\",\"id\":null,\"op\":\"UPDATE\",\"ws\":\"acme\"}"))
                .isEqualTo(new Change("users", null, ChangeOp.UPDATE, Set.of(), "acme"));
        assertThat(NotifyPayload.parse("{\"table\":\"users\",\"id\":\"a\\\"b\\\\c\\u00e9\",\"op\":\"INSERT\",\"future\":1}"))
                .isEqualTo(Change.insert("users", "a\"b\\cé", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "not json", "{\"table\":\"users\",\"id\":\"1\",\"op\":\"INSERT\"} x", "{\"table\":\"users\"", "[1]", "\"x\"", "null",
        "{\"id\":\"1\",\"op\":\"INSERT\"}",
        "{\"table\":\"\",\"id\":\"1\",\"op\":\"INSERT\"}",
        "{\"table\":1,\"id\":\"1\",\"op\":\"INSERT\"}",
        "{\"table\":\"users\",\"id\":\"1\"}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"UPSERT\"}",
        "{\"table\":\"users\",\"op\":\"INSERT\"}",
        "{\"table\":\"users\",\"id\":1,\"op\":\"INSERT\"}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"TRUNCATE\"}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"UPDATE\",\"columns\":\"name\"}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"UPDATE\",\"columns\":[1]}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"UPDATE\",\"columns\":[\"\"]}",
        "{\"table\":\"users\",\"id\":\"1\",\"op\":\"INSERT\",\"ws\":5}",
    })
    void rejectsInvalidPayloads(String payload) {
        assertThatThrownBy(() -> NotifyPayload.parse(payload))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("notification payload");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> NotifyPayload.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
