package dev.arcana.example.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.wire.WireRequests;
import org.junit.jupiter.api.Test;

class TaskInputTest {

    private static TaskInput parse(String json) {
        return TaskInput.parse(WireRequests.parseObject(json));
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(ArcanaException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }

    @Test
    void anOrdinaryTitleIsKeptStripped() {
        assertThat(parse("{\"title\":\"  Write the report \"}").title()).contains("Write the report");
        assertThat(parse("{\"title\":\"Ünïcode ✓ 😀\"}").title()).contains("Ünïcode ✓ 😀");
    }

    @Test
    void aNulCharacterInTheTitleIsABadRequest() {
        refused("{\"title\":\"a\\u0000b\"}", "'title' must not contain control characters");
    }

    @Test
    void otherControlCharactersInTheTitleAreBadRequests() {
        refused("{\"title\":\"line\\nbreak\"}", "'title' must not contain control characters");
        refused("{\"title\":\"bell\\u0007\"}", "'title' must not contain control characters");
        refused("{\"title\":\"c1\\u0085x\"}", "'title' must not contain control characters");
        refused("{\"title\":\"del\\u007fx\"}", "'title' must not contain control characters");
    }

    @Test
    void aTooLongTitleIsABadRequest() {
        refused("{\"title\":\"" + "x".repeat(201) + "\"}", "'title' must be at most 200 characters");
    }

    @Test
    void duplicateFieldsAreBadRequests() {
        refused("{\"title\":\"a\",\"title\":\"b\"}", "request body has the key 'title' twice");
    }
}
