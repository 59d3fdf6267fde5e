package dev.arcana.api;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a CDI bean, producer method or producer field of type {@link Mutation} for registration
 * with the engine at deployment:
 *
 * <pre>{@code
 * @Produces @MutationDefinition
 * Mutation addTask = Mutation.builder("add_task").param(...).handler(...).build();
 * }</pre>
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
public @interface MutationDefinition {

    /** For programmatic lookup: {@code CDI.current().select(Mutation.class, MutationDefinition.Literal.INSTANCE)}. */
    final class Literal extends AnnotationLiteral<MutationDefinition> implements MutationDefinition {
        private static final long serialVersionUID = 1L;
        public static final Literal INSTANCE = new Literal();
    }
}
