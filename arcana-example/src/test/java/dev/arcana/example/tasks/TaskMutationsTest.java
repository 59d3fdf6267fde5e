package dev.arcana.example.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.InvalidParamsException;
import dev.arcana.api.Mutation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMutationsTest {
    private final TaskMutations mutations = new TaskMutations();
    private final List<Mutation> all = List.of(mutations.addTask(), mutations.toggleTask(), mutations.renameTask(),
            mutations.deleteTask(), mutations.moveTask(), mutations.clearDone());

    @Test
    void everyMutationIsValidUnderItsOwnKey() {
        assertThat(all).extracting(Mutation::key)
                .containsExactly("add_task", "toggle_task", "rename_task", "delete_task", "move_task", "clear_done");
        assertThat(all).allSatisfy(mutation -> assertThat(mutation.problems()).isEmpty());
    }

    @Test
    void addTaskTakesATitleAnOptionalIdAndAnOptionalAssigneeOnly() {
        Mutation addTask = mutations.addTask();

        assertThat(addTask.resolve(Map.of("title", "Buy milk")).string("title")).isEqualTo("Buy milk");
        assertThatThrownBy(() -> addTask.resolve(Map.of())).isInstanceOf(InvalidParamsException.class)
                .hasMessage("param 'title' is required");
        assertThat(addTask.resolve(Map.of("title", "x", "id", "7C0E4A6E-1F7B-4A39-9C43-3F0F4C8A1B11")).uuid("id"))
                .hasToString("7c0e4a6e-1f7b-4a39-9c43-3f0f4c8a1b11");
        assertThatThrownBy(() -> addTask.resolve(Map.of("title", "x", "done", true)))
                .isInstanceOf(InvalidParamsException.class).hasMessage("unknown param 'done'");
        assertThatThrownBy(() -> addTask.resolve(Map.of("title", "x".repeat(201))))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessage("param 'title' must be at most 200 characters long, got 201");
    }

    @Test
    void clearDoneIsForAdminsOnly() {
        Mutation clearDone = mutations.clearDone();

        assertThat(clearDone.requiredRoles()).containsExactly("admin");
        assertThatThrownBy(() -> clearDone.authorize(new dev.arcana.api.Identity("s", "u", "acme", "member", java.util.Set.of())))
                .isInstanceOf(dev.arcana.api.ForbiddenException.class)
                .hasMessage("action 'clear_done' requires one of the roles [admin]");
    }

    @Test
    void moveTaskRefusesANegativePosition() {
        assertThatThrownBy(() -> mutations.moveTask().resolve(Map.of("id", "7c0e4a6e-1f7b-4a39-9c43-3f0f4c8a1b11",
                "position", -1))).isInstanceOf(InvalidParamsException.class)
                .hasMessage("param 'position' must be at least 0, got -1");
    }
}
