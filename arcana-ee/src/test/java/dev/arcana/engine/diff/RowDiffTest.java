package dev.arcana.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RowDiffTest {

    private static final JsonObject ALICE = Json.createObjectBuilder()
            .add("id", "u1").add("name", "Alice").add("age", 30).build();

    @Test
    void newRowIsOneAddPerField() {
        JsonArray patch = RowDiff.diff(null, ALICE);

        assertThat(patch).containsExactly(
                op("add", "/id", Json.createValue("u1")),
                op("add", "/name", Json.createValue("Alice")),
                op("add", "/age", Json.createValue(30)));
        assertThat(apply(JsonValue.EMPTY_JSON_OBJECT, patch)).isEqualTo(ALICE);
    }

    @Test
    void changedFieldIsReplaced() {
        JsonObject renamed = Json.createObjectBuilder(ALICE).add("name", "Alicia").build();

        assertThat(RowDiff.diff(ALICE, renamed)).containsExactly(op("replace", "/name", Json.createValue("Alicia")));
    }

    @Test
    void fieldNewToTheRowIsAdded() {
        JsonObject fields = Json.createObjectBuilder().add("email", "a@x").build();

        assertThat(RowDiff.diff(ALICE, fields)).containsExactly(op("add", "/email", Json.createValue("a@x")));
    }

    @Test
    void unchangedRowGivesTheSharedEmptyPatch() {
        JsonObject copy = Json.createObjectBuilder(ALICE).build();

        assertThat(RowDiff.diff(ALICE, copy)).isSameAs(JsonValue.EMPTY_JSON_ARRAY);
        assertThat(RowDiff.diff(ALICE, JsonValue.EMPTY_JSON_OBJECT)).isEmpty();
    }

    @Test
    void nullValuesAreSentExplicitly() {
        JsonObject cleared = Json.createObjectBuilder().add("name", JsonValue.NULL).add("note", JsonValue.NULL).build();

        JsonArray patch = RowDiff.diff(ALICE, cleared);

        assertThat(patch).containsExactly(
                op("replace", "/name", JsonValue.NULL),
                op("add", "/note", JsonValue.NULL));
        assertThat(patch.getJsonObject(0)).containsKey("value");
        assertThat(patch.getJsonObject(1)).containsKey("value");
    }

    @Test
    void nullToNullIsNoChange() {
        JsonObject withNull = Json.createObjectBuilder().add("note", JsonValue.NULL).build();

        assertThat(RowDiff.diff(withNull, withNull)).isEmpty();
    }

    @Test
    void fieldNamesAreEscapedInPaths() {
        JsonObject fields = Json.createObjectBuilder().add("a/b", 1).add("c~d", 2).add("~/", 3).build();

        JsonArray patch = RowDiff.diff(null, fields);

        assertThat(patch).extracting(op -> ((JsonObject) op).getString("path"))
                .containsExactly("/a~1b", "/c~0d", "/~0~1");
        assertThat(apply(JsonValue.EMPTY_JSON_OBJECT, patch)).isEqualTo(fields);
    }

    @Test
    void fieldsAbsentFromTheNewFieldsAreKept() {
        JsonObject nameOnly = Json.createObjectBuilder().add("name", "Alicia").build();

        JsonArray patch = RowDiff.diff(ALICE, nameOnly);

        assertThat(patch).noneMatch(op -> ((JsonObject) op).getString("op").equals("remove"));
        assertThat(apply(ALICE, patch)).containsEntry("age", Json.createValue(30)).containsEntry("id", Json.createValue("u1"));
    }

    @Test
    void mergeKeepsTheUnionOfFields() {
        JsonObject other = Json.createObjectBuilder().add("name", "Alicia").add("email", "a@x").build();

        JsonObject merged = RowDiff.merge(ALICE, other);

        assertThat(merged).isEqualTo(Json.createObjectBuilder()
                .add("id", "u1").add("name", "Alicia").add("age", 30).add("email", "a@x").build());
        assertThat(apply(ALICE, RowDiff.diff(ALICE, other))).isEqualTo(merged);
    }

    @Test
    void mergeOfANewRowIsTheNewFields() {
        assertThat(RowDiff.merge(null, ALICE)).isEqualTo(ALICE);
    }

    @Test
    void mergeWithoutChangesReturnsTheOldRow() {
        JsonObject subset = Json.createObjectBuilder().add("name", "Alice").build();

        assertThat(RowDiff.merge(ALICE, subset)).isSameAs(ALICE);
    }

    @Test
    void numericallyEqualNumbersAreNotAChange() {
        JsonObject one = Json.createObjectBuilder().add("n", 1)
                .add("xs", Json.createArrayBuilder().add(2)).build();
        JsonObject oneDotZero = Json.createObjectBuilder().add("n", new BigDecimal("1.0"))
                .add("xs", Json.createArrayBuilder().add(new BigDecimal("2.00"))).build();

        assertThat(RowDiff.diff(one, oneDotZero)).isEmpty();
        assertThat(RowDiff.merge(one, oneDotZero)).isSameAs(one);
    }

    @Test
    void numericallyDifferentNumbersAreReplaced() {
        JsonObject one = Json.createObjectBuilder().add("n", 1).build();
        JsonObject more = Json.createObjectBuilder().add("n", new BigDecimal("1.01")).build();

        assertThat(RowDiff.diff(one, more)).containsExactly(op("replace", "/n", Json.createValue(new BigDecimal("1.01"))));
    }

    @Test
    void typeChangeIsReplaced() {
        JsonObject text = Json.createObjectBuilder().add("n", "1").build();
        JsonObject number = Json.createObjectBuilder().add("n", 1).build();

        assertThat(RowDiff.diff(text, number)).containsExactly(op("replace", "/n", Json.createValue(1)));
    }

    private static JsonObject op(String op, String path, JsonValue value) {
        return Json.createObjectBuilder().add("op", op).add("path", path).add("value", value).build();
    }

    private static JsonObject apply(JsonObject row, JsonArray patch) {
        return Json.createPatch(patch).apply(row);
    }
}
