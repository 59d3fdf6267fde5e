package dev.arcana.api;

import java.util.regex.Pattern;

/**
 * A business rule refused the mutation (409 {@code conflict}); the transaction rolls back and the
 * client's optimistic changes are undone. {@link #reason()} is the application's own code (e.g.
 * {@code title_taken}), sent next to the protocol's code so a client can tell rules apart; the
 * message is shown to the user, so it must not carry SQL or internals.
 */
public class MutationRejectedException extends ArcanaException {
    private static final long serialVersionUID = 1L;
    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private final String reason;

    public MutationRejectedException(String reason, String message) {
        super(ErrorCode.CONFLICT, message);
        if (reason == null || !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("a rejection reason is 1-64 lower-case letters, digits and _, "
                    + "starting with a letter: '" + reason + "'");
        }
        this.reason = reason;
    }

    /** The application's code for the rule that refused the mutation. */
    public String reason() {
        return reason;
    }
}
