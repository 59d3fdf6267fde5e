package dev.arcana.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireRequestsMutateTest {

    private static WireRequests.Mutate body(String json) {
        return WireRequests.mutate(WireRequests.parseObject(json));
    }

    @Test
    void aFullRequestIsRead() {
        WireRequests.Mutate request = body("{\"action\":\"add_task\",\"params\":{\"title\":\"Buy milk\"},"
                + "\"mutation_id\":\"k3x9:17\"}");

        assertThat(request.action()).isEqualTo("add_task");
        assertThat(request.params()).isEqualTo(Map.of("title", Json.createValue("Buy milk")));
        assertThat(request.mutationId()).isEqualTo("k3x9:17");
    }

    @Test
    void paramsAndMutationIdMayBeAbsent() {
        WireRequests.Mutate request = body("{\"action\":\"clear_done\"}");

        assertThat(request.params()).isEmpty();
        assertThat(request.mutationId()).isNull();
    }

    @Test
    void aFrameMayCarryItsIdAndType() {
        WireRequests.Mutate request = WireRequests.mutateFrame(WireRequests.parseObject(
                "{\"id\":7,\"type\":\"mutate\",\"action\":\"toggle_task\",\"params\":{\"done\":true},\"mutation_id\":\"a.b_c-1\"}"));

        assertThat(request.action()).isEqualTo("toggle_task");
        assertThat(request.params()).containsEntry("done", JsonValue.TRUE);
        assertThat(request.mutationId()).isEqualTo("a.b_c-1");
    }

    @Test
    void aBodyMayNotCarryAFramesFields() {
        assertBadRequest("{\"id\":1,\"action\":\"add_task\"}", "unknown field 'id'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"params\":{}}                                      | 'action' is required",
            "{\"action\":null}                                    | 'action' is required",
            "{\"action\":\"\"}                                    | 'action' must be a non-empty string",
            "{\"action\":42}                                      | 'action' must be a non-empty string",
            "{\"action\":\"add_task\",\"params\":[1]}             | 'params' must be an object",
            "{\"action\":\"add_task\",\"params\":null}            | 'params' must be an object",
            "{\"action\":\"add_task\",\"params\":\"title=x\"}     | 'params' must be an object",
            "{\"action\":\"add_task\",\"extra\":1}                | unknown field 'extra'",
            "{\"action\":\"add_task\",\"mutation_id\":7}          | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
            "{\"action\":\"add_task\",\"mutation_id\":null}       | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
            "{\"action\":\"add_task\",\"mutation_id\":\"\"}       | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
            "{\"action\":\"add_task\",\"mutation_id\":\"a b\"}    | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
            "{\"action\":\"add_task\",\"mutation_id\":\"ä\"}      | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
            "{\"action\":\"add_task\",\"mutation_id\":\"a/b\"}    | 'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -",
    })
    void malformedRequestsAreBadRequestsNamingTheField(String json, String message) {
        assertBadRequest(json, message);
    }

    @Test
    void anActionOver128CharactersIsRefused() {
        assertThat(body("{\"action\":\"" + "a".repeat(128) + "\"}").action()).hasSize(128);
        assertBadRequest("{\"action\":\"" + "a".repeat(129) + "\"}", "'action' must be at most 128 characters long");
    }

    @Test
    void aMutationIdOf64CharactersIsTheLongest() {
        assertThat(body("{\"action\":\"x\",\"mutation_id\":\"" + "Z".repeat(64) + "\"}").mutationId()).hasSize(64);
        assertBadRequest("{\"action\":\"x\",\"mutation_id\":\"" + "Z".repeat(65) + "\"}",
                "'mutation_id' must be 1 to 64 characters from A-Z a-z 0-9 . _ : -");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"action\":\"x\",\"action\":\"y\"}", "{\"action\":\"x\"} trailing", "[]"})
    void bodiesStrictJsonRefusesAreBadRequests(String json) {
        assertThatThrownBy(() -> body(json)).isInstanceOfSatisfying(ArcanaException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void anUnknownFieldsNameIsCutInTheMessage() {
        assertBadRequest("{\"action\":\"x\",\"" + "f".repeat(100) + "\":1}", "unknown field '" + "f".repeat(64) + "…'");
    }

    private static void assertBadRequest(String json, String message) {
        assertThatThrownBy(() -> body(json)).isInstanceOfSatisfying(ArcanaException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST);
            assertThat(e.getMessage()).isEqualTo(message);
        });
    }
}
