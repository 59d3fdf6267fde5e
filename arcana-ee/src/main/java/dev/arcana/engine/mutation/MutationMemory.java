package dev.arcana.engine.mutation;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.MutationOutcome;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One seance's mutations: how many run now (capped), and the outcomes of its last mutation ids, so
 * that a retried id is answered with its first outcome instead of running again. Not thread-safe:
 * callers hold the seance's lock; the outcome futures are waited on outside it.
 */
public final class MutationMemory {
    private static final Pattern MUTATION_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final Map<String, Remembered> byId = new LinkedHashMap<>();
    private int running;

    /** A mutation id's first call: what it was (to refuse reuse for another call) and its outcome. */
    private record Remembered(String fingerprint, CompletableFuture<MutationOutcome> outcome) {
    }

    /**
     * What a call may do: run (it is the first with its id, or has none), or wait for the outcome of
     * the first call with its id.
     */
    public static final class Claim {
        private final String mutationId;
        private final CompletableFuture<MutationOutcome> outcome;
        private final boolean replay;

        private Claim(String mutationId, CompletableFuture<MutationOutcome> outcome, boolean replay) {
            this.mutationId = mutationId;
            this.outcome = outcome;
            this.replay = replay;
        }

        /** True when another call with the same id came first: {@link #awaitFirst} answers. */
        public boolean isReplay() {
            return replay;
        }

        /**
         * The first call's outcome, marked replayed, or its error thrown again.
         *
         * @throws ArcanaException {@code internal} when the first call did not finish within {@code timeoutMillis}
         */
        public MutationOutcome awaitFirst(long timeoutMillis) {
            try {
                return outcome.get(timeoutMillis, TimeUnit.MILLISECONDS).asReplay();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ArcanaException arcana) {
                    throw arcana;
                }
                throw ArcanaException.internal("mutation '" + mutationId + "' failed", e.getCause());
            } catch (TimeoutException e) {
                throw ArcanaException.internal("mutation '" + mutationId + "' is still running", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ArcanaException.internal("interrupted while waiting for mutation '" + mutationId + "'", e);
            }
        }
    }

    /** Whether a client's mutation id is acceptable (null: the call has none). */
    public static boolean isValidId(String mutationId) {
        return mutationId == null || MUTATION_ID.matcher(mutationId).matches();
    }

    /**
     * Claims a call of the seance; {@code mutationId} is null or valid ({@link #isValidId}, checked by the caller).
     *
     * @param fingerprint what the call is (action and resolved params): an id reused for another call is refused
     * @throws ArcanaException {@code bad_request} for a reused id, {@code too_many_requests}
     *                         when {@code maxRunning} mutations of the seance run already
     */
    public Claim claim(String mutationId, String fingerprint, int maxRunning) {
        Remembered first = mutationId == null ? null : byId.get(mutationId);
        if (first != null) {
            if (!first.fingerprint().equals(fingerprint)) {
                throw ArcanaException.badRequest("mutation_id '" + mutationId
                        + "' was already used in this seance for another action or other params");
            }
            return new Claim(mutationId, first.outcome(), true);
        }
        if (running >= maxRunning) {
            throw new ArcanaException(ErrorCode.TOO_MANY_REQUESTS, "this seance already runs " + maxRunning
                    + " mutations; wait for their replies");
        }
        running++;
        CompletableFuture<MutationOutcome> outcome = new CompletableFuture<>();
        if (mutationId != null) {
            byId.put(mutationId, new Remembered(fingerprint, outcome));
        }
        return new Claim(mutationId, outcome, false);
    }

    /** The claimed call committed: its outcome is answered to later calls with its id. */
    public void succeeded(Claim claim, MutationOutcome outcome, int remembered) {
        running--;
        claim.outcome.complete(outcome);
        forgetOldest(remembered);
    }

    /**
     * The claimed call failed. A final error (the handler's or the request's: the transaction
     * rolled back for good) is remembered like an outcome; any other (internal, not ready) is
     * forgotten, so that a retry with the same id runs again.
     */
    public void failed(Claim claim, ArcanaException error, int remembered) {
        running--;
        if (!isFinal(error) && claim.mutationId != null) {
            Remembered entry = byId.get(claim.mutationId);
            if (entry != null && entry.outcome() == claim.outcome) {
                byId.remove(claim.mutationId);
            }
        }
        claim.outcome.completeExceptionally(error);
        forgetOldest(remembered);
    }

    /** Whether the memory holds anything a retry may need, or a call is running. */
    public boolean isInUse() {
        return running > 0 || !byId.isEmpty();
    }

    static boolean isFinal(ArcanaException error) {
        return switch (error.code()) {
            case BAD_REQUEST, INVALID_PARAMS, FORBIDDEN, NOT_FOUND, CONFLICT -> true;
            default -> false;
        };
    }

    private void forgetOldest(int remembered) {
        Iterator<Remembered> oldest = byId.values().iterator();
        while (byId.size() > remembered && oldest.hasNext()) {
            if (oldest.next().outcome().isDone()) {
                oldest.remove();
            }
        }
    }
}
