package dev.arcana.ee.cdi;

import dev.arcana.api.Mutation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Checks a deployment's mutation definitions as a whole: each mutation's own problems and keys
 * defined more than once. Pure and container-free, like {@link GraphValidator}.
 */
public final class MutationValidator {

    /**
     * A mutation and where it was defined (producer method, producer field or bean class).
     *
     * @param mutation null when the definition produced no mutation
     */
    public record Definition(String name, Mutation mutation) {
        public Definition {
            Objects.requireNonNull(name, "name");
        }
    }

    private MutationValidator() {
    }

    /** Every problem of every definition, in definition order; empty when all can be registered. */
    public static List<String> problems(List<Definition> definitions) {
        List<String> problems = new ArrayList<>();
        Duplicates duplicates = new Duplicates("mutation");
        for (Definition definition : definitions) {
            Mutation mutation = definition.mutation();
            if (mutation == null) {
                problems.add(definition.name() + ": produced null instead of a Mutation");
                continue;
            }
            for (String problem : mutation.problems()) {
                problems.add(definition.name() + ": " + problem);
            }
            duplicates.add(mutation.key(), definition.name());
        }
        problems.addAll(duplicates.problems());
        return problems;
    }
}
