package dev.arcana.engine.diff;

import static dev.arcana.engine.diff.Refs.apply;
import static dev.arcana.engine.diff.Refs.array;
import static dev.arcana.engine.diff.Refs.count;
import static dev.arcana.engine.diff.Refs.numbered;
import static dev.arcana.engine.diff.Refs.ref;
import static dev.arcana.engine.diff.Refs.withNested;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefsDiffTest {

    private static final JsonObject A = ref("users", "a", "name");
    private static final JsonObject B = ref("users", "b", "name");
    private static final JsonObject C = ref("users", "c", "name");
    private static final JsonObject D = ref("users", "d", "name");
    private static final JsonObject X = ref("users", "x", "name");

    @Test
    void equalListsGiveTheSharedEmptyPatch() {
        List<JsonObject> copy = new ArrayList<>(numbered(50));

        assertThat(RefsDiff.diff(numbered(50), copy)).isSameAs(JsonValue.EMPTY_JSON_ARRAY);
        assertThat(RefsDiff.diff(List.of(), List.of())).isSameAs(JsonValue.EMPTY_JSON_ARRAY);
    }

    @Test
    void insertAtTheFrontIsOneAdd() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, C), List.of(X, A, B, C));

        assertThat(patch).containsExactly(op("add", "/0", X));
    }

    @Test
    void insertInTheMiddleIsOneAdd() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, C), List.of(A, B, X, C));

        assertThat(patch).containsExactly(op("add", "/2", X));
    }

    @Test
    void insertAtTheEndUsesAnExplicitIndex() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, C), List.of(A, B, C, X));

        assertThat(patch).containsExactly(op("add", "/3", X));
    }

    @Test
    void deleteIsOneRemove() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, C, D), List.of(A, C, D));

        assertThat(patch).containsExactly(remove("/1"));
    }

    @Test
    void movingFirstToLastIsOneMoveNotAShiftOfEveryRef() {
        List<JsonObject> old = numbered(100);
        List<JsonObject> moved = new ArrayList<>(old);
        moved.add(moved.remove(0));

        JsonArray patch = RefsDiff.diff(old, moved);

        assertThat(patch.size()).isLessThanOrEqualTo(2);
        assertThat(patch).containsExactly(Json.createObjectBuilder()
                .add("op", "move").add("from", "/0").add("path", "/99").build());
        assertThat(apply(old, patch)).isEqualTo(array(moved));
    }

    @Test
    void movingLastToFirstIsOneMove() {
        List<JsonObject> old = numbered(100);
        List<JsonObject> moved = new ArrayList<>(old);
        moved.add(0, moved.remove(99));

        JsonArray patch = RefsDiff.diff(old, moved);

        assertThat(patch.size()).isLessThanOrEqualTo(2);
        assertThat(apply(old, patch)).isEqualTo(array(moved));
    }

    @Test
    void swapMovesOnlyTheSwappedRefs() {
        List<JsonObject> old = numbered(20);
        List<JsonObject> swapped = new ArrayList<>(old);
        Collections.swap(swapped, 3, 15);

        JsonArray patch = RefsDiff.diff(old, swapped);

        assertThat(patch.size()).isLessThanOrEqualTo(4);
        assertThat(count(patch, "add")).isZero();
        assertThat(apply(old, patch)).isEqualTo(array(swapped));
    }

    @Test
    void adjacentSwapIsOneMove() {
        JsonArray patch = RefsDiff.diff(List.of(A, B), List.of(B, A));

        assertThat(patch).hasSize(1);
        assertThat(apply(List.of(A, B), patch)).isEqualTo(array(List.of(B, A)));
    }

    @Test
    void changedFieldsAreReplacedInPlace() {
        JsonObject bWithEmail = ref("users", "b", "name", "email");

        JsonArray patch = RefsDiff.diff(List.of(A, B, C), List.of(A, bWithEmail, C));

        assertThat(patch).containsExactly(op("replace", "/1", bWithEmail));
    }

    @Test
    void changedNestedRefIsReplaced() {
        JsonObject task = withNested(ref("tasks", "t1", "title"), "assignee", A);
        JsonObject reassigned = withNested(ref("tasks", "t1", "title"), "assignee", B);

        JsonArray patch = RefsDiff.diff(List.of(C, task), List.of(C, reassigned));

        assertThat(patch).containsExactly(op("replace", "/1", reassigned));
    }

    @Test
    void movedAndChangedRefIsRemovedAndAddedWithItsNewValue() {
        JsonObject aWithEmail = ref("users", "a", "name", "email");
        List<JsonObject> old = List.of(A, B, C, D);
        List<JsonObject> updated = List.of(B, C, D, aWithEmail);

        JsonArray patch = RefsDiff.diff(old, updated);

        assertThat(patch).containsExactly(remove("/0"), op("add", "/3", aWithEmail));
    }

    @Test
    void moveWhosePathExtendsItsFromStringIsSentAsRemoveAndAdd() {
        List<JsonObject> old = numbered(20);
        List<JsonObject> moved = new ArrayList<>(old);
        moved.add(moved.remove(1));

        JsonArray patch = RefsDiff.diff(old, moved);

        // "/1" -> "/19": Parsson 1.1.9 rejects this move as moving into a child
        assertThat(patch).containsExactly(remove("/1"), op("add", "/19", old.get(1)));
        assertThat(apply(old, patch)).isEqualTo(array(moved));
    }

    @Test
    void duplicatesPairUpInOrder() {
        List<JsonObject> old = List.of(A, B, A, C);
        List<JsonObject> updated = List.of(A, B, C, A, A);

        JsonArray patch = RefsDiff.diff(old, updated);

        assertThat(apply(old, patch)).isEqualTo(array(updated));
        assertThat(patch.size()).isLessThanOrEqualTo(2);
    }

    @Test
    void removingOneOfTwoDuplicatesIsOneRemove() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, A), List.of(A, B));

        assertThat(patch).containsExactly(remove("/2"));
    }

    @Test
    void sameIdInAnotherTableIsAnotherRef() {
        JsonObject orgA = ref("orgs", "a", "name");

        JsonArray patch = RefsDiff.diff(List.of(A), List.of(orgA));

        assertThat(patch).hasSize(2);
        assertThat(apply(List.of(A), patch)).isEqualTo(array(List.of(orgA)));
    }

    @Test
    void emptyToManyIsAddsInOrder() {
        JsonArray patch = RefsDiff.diff(List.of(), List.of(A, B, C));

        assertThat(patch).containsExactly(op("add", "/0", A), op("add", "/1", B), op("add", "/2", C));
    }

    @Test
    void manyToEmptyRemovesFromTheEnd() {
        JsonArray patch = RefsDiff.diff(List.of(A, B, C), List.of());

        assertThat(patch).containsExactly(remove("/2"), remove("/1"), remove("/0"));
    }

    @Test
    void completeReplacementRemovesThenAdds() {
        List<JsonObject> old = List.of(A, B);
        List<JsonObject> updated = List.of(C, D, X);

        JsonArray patch = RefsDiff.diff(old, updated);

        assertThat(count(patch, "remove")).isEqualTo(2);
        assertThat(count(patch, "add")).isEqualTo(3);
        assertThat(apply(old, patch)).isEqualTo(array(updated));
    }

    @Test
    void reversalIsCorrect() {
        List<JsonObject> old = numbered(30);
        List<JsonObject> reversed = new ArrayList<>(old);
        Collections.reverse(reversed);

        JsonArray patch = RefsDiff.diff(old, reversed);

        assertThat(patch.size()).isEqualTo(29);
        assertThat(apply(old, patch)).isEqualTo(array(reversed));
    }

    @Test
    void idsOfOtherJsonTypesStillGiveACorrectPatch() {
        JsonObject numeric = Json.createObjectBuilder().add("table", "users").add("id", 1).build();
        JsonObject text = Json.createObjectBuilder().add("table", "users").add("id", "1").build();
        JsonObject noId = Json.createObjectBuilder().add("table", "users").build();

        JsonArray patch = RefsDiff.diff(List.of(numeric, noId), List.of(noId, text));

        assertThat(apply(List.of(numeric, noId), patch)).isEqualTo(array(List.of(noId, text)));
    }

    private static JsonObject op(String op, String path, JsonValue value) {
        return Json.createObjectBuilder().add("op", op).add("path", path).add("value", value).build();
    }

    private static JsonObject remove(String path) {
        return Json.createObjectBuilder().add("op", "remove").add("path", path).build();
    }
}
