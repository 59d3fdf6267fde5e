package dev.arcana.api;

/**
 * Runs a mutation inside its transaction. Throw {@link MutationRejectedException} for a business
 * rule (409 with the application's code and message), {@link ForbiddenException},
 * {@link NotFoundException} or {@link InvalidParamsException}; any other exception rolls the
 * transaction back and answers 500 {@code internal}, its text kept in the log only.
 */
@FunctionalInterface
public interface MutationHandler {
    MutationResult handle(MutationContext context) throws Exception;
}
