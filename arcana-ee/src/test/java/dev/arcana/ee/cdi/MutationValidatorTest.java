package dev.arcana.ee.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Mutation;
import dev.arcana.api.MutationResult;
import dev.arcana.api.Param;
import dev.arcana.ee.cdi.MutationValidator.Definition;
import jakarta.json.JsonValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class MutationValidatorTest {

    @Test
    void validDefinitionsHaveNoProblems() {
        assertThat(MutationValidator.problems(List.of(
                new Definition("com.acme.Tasks#addTask()", mutation("add_task")),
                new Definition("com.acme.Tasks#deleteTask", mutation("delete_task"))))).isEmpty();
    }

    @Test
    void aDuplicateKeyNamesEveryDefinition() {
        assertThat(MutationValidator.problems(List.of(
                new Definition("com.acme.Tasks#addTask()", mutation("add_task")),
                new Definition("com.acme.Tasks#deleteTask()", mutation("delete_task")),
                new Definition("com.acme.Legacy#add", mutation("add_task")),
                new Definition("com.acme.Other", mutation("add_task")))))
                .containsExactly("mutation key 'add_task' is defined 3 times: "
                        + "by com.acme.Tasks#addTask() and by com.acme.Legacy#add and by com.acme.Other");
    }

    @Test
    void everyProblemOfEveryDefinitionIsListedWithItsDefinition() {
        Mutation noHandler = Mutation.builder("rename_task").param("title", Param.string().required()).build();
        Mutation badKey = Mutation.builder("rename task!").handler(context -> MutationResult.of(JsonValue.NULL)).build();

        assertThat(MutationValidator.problems(List.of(
                new Definition("com.acme.Tasks#rename()", noHandler),
                new Definition("com.acme.Tasks#bad", badKey),
                new Definition("com.acme.Tasks#nothing()", null))))
                .containsExactly(
                        "com.acme.Tasks#rename(): mutation 'rename_task': has no handler",
                        "com.acme.Tasks#bad: mutation 'rename task!': key may only use letters, digits and _ . : - "
                                + "(at most 128)",
                        "com.acme.Tasks#nothing(): produced null instead of a Mutation");
    }

    @Test
    void emptyKeysAreNotReportedAsDuplicates() {
        assertThat(MutationValidator.problems(List.of(new Definition("A", mutation("")), new Definition("B", mutation("")))))
                .containsExactly("A: a mutation has an empty key", "B: a mutation has an empty key");
    }

    private static Mutation mutation(String key) {
        return Mutation.builder(key)
                .param("id", Param.uuid().required())
                .handler(context -> MutationResult.of(JsonValue.NULL))
                .build();
    }
}
