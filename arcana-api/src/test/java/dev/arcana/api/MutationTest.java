package dev.arcana.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MutationTest {

    private static Mutation.Builder rename() {
        return Mutation.builder("rename_task")
                .param("id", Param.uuid().required())
                .param("title", Param.string().required().maxLength(200))
                .handler(context -> MutationResult.of(JsonValue.TRUE));
    }

    @Test
    void paramsAreStrict() {
        Mutation mutation = rename().build();
        String id = "aaaaaaaa-0000-4000-8000-000000000001";
        assertThat(mutation.resolve(Map.of("id", id, "title", "New")).string("title")).isEqualTo("New");
        assertThatThrownBy(() -> mutation.resolve(Map.of("id", id, "title", "New", "done", true)))
                .isInstanceOfSatisfying(ArcanaException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PARAMS))
                .hasMessageContaining("unknown param 'done'");
        assertThatThrownBy(() -> mutation.resolve(Map.of("id", id)))
                .isInstanceOf(InvalidParamsException.class).hasMessageContaining("title");
    }

    @Test
    void aDefinitionListsEveryProblem() {
        assertThat(Mutation.builder("bad key!").param("n", Param.integer().min(10).max(1)).requiresRole(" ").build()
                .problems()).hasSize(4)
                .anySatisfy(p -> assertThat(p).contains("key may only use"))
                .anySatisfy(p -> assertThat(p).contains("'n'"))
                .anySatisfy(p -> assertThat(p).contains("blank"))
                .anySatisfy(p -> assertThat(p).contains("has no handler"));
        assertThat(rename().build().problems()).isEmpty();
    }

    @Test
    void aCallerWithoutTheRoleIsForbiddenBeforeTheHandlerRuns() {
        Mutation adminOnly = rename().requiresRole("admin").build();
        assertThatThrownBy(() -> adminOnly.authorize(new Identity("s", "u", "acme", "member", Set.of())))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN))
                .hasMessage("action 'rename_task' requires one of the roles [admin]");
    }

    @Test
    void aRejectionIsAConflictWithTheApplicationsReason() {
        MutationRejectedException rejected = new MutationRejectedException("title_taken", "a task is called so already");
        assertThat(rejected.code()).isEqualTo(ErrorCode.CONFLICT);
        assertThat(rejected.code().httpStatus()).isEqualTo(409);
        assertThat(rejected.reason()).isEqualTo("title_taken");
        assertThatThrownBy(() -> new MutationRejectedException("Title Taken", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aResultWithoutDataCarriesJsonNull() {
        MutationResult result = new MutationResult(null, java.util.List.of(Change.insert("tasks", "1", "acme")));
        assertThat(result.data()).isEqualTo(JsonValue.NULL);
        assertThat(MutationResult.of(Json.createValue(3)).changes()).isEmpty();
    }
}
