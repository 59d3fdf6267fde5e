package dev.arcana.engine;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import dev.arcana.api.Identity;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each identity (a user in a workspace, across all its seances) holds: seances and
 * subscriptions, each capped, so that one login cannot make the server hold or run without bound
 * by spreading its requests over fresh seance ids. Counts are reserved before the work and given
 * back when it is undone; an identity holding nothing is forgotten.
 */
final class IdentityQuotas {

    private record Holder(String userId, String workspaceId) {
        static Holder of(Identity.Owner owner) {
            return new Holder(owner.userId(), owner.workspaceId());
        }
    }

    /** Counts of one holder; changed only inside {@code ConcurrentHashMap.compute} of its key. */
    private record Usage(int seances, int subscriptions) {
        boolean isEmpty() {
            return seances == 0 && subscriptions == 0;
        }
    }

    private final int maxSeances;
    private final int maxSubscriptions;
    private final Map<Holder, Usage> usage = new ConcurrentHashMap<>();

    IdentityQuotas(int maxSeances, int maxSubscriptions) {
        this.maxSeances = maxSeances;
        this.maxSubscriptions = maxSubscriptions;
    }

    /** @throws ArcanaException {@code too_many_seances} when the identity already holds the maximum */
    void reserveSeance(Identity.Owner owner) {
        change(owner, 1, 0);
    }

    void releaseSeance(Identity.Owner owner) {
        change(owner, -1, 0);
    }

    /** @throws ArcanaException {@code too_many_subscriptions} when the identity already holds the maximum */
    void reserveSubscription(Identity.Owner owner) {
        change(owner, 0, 1);
    }

    void releaseSubscriptions(Identity.Owner owner, int count) {
        if (count > 0) {
            change(owner, 0, -count);
        }
    }

    /** Subscriptions the identity holds (tests, tooling). */
    int subscriptions(Identity.Owner owner) {
        Usage current = usage.get(Holder.of(owner));
        return current == null ? 0 : current.subscriptions();
    }

    /** Seances the identity holds (tests, tooling). */
    int seances(Identity.Owner owner) {
        Usage current = usage.get(Holder.of(owner));
        return current == null ? 0 : current.seances();
    }

    void clear() {
        usage.clear();
    }

    private void change(Identity.Owner owner, int seances, int subscriptions) {
        usage.compute(Holder.of(owner), (holder, current) -> {
            Usage before = current == null ? new Usage(0, 0) : current;
            if (seances > 0 && before.seances() + seances > maxSeances) {
                throw new ArcanaException(ErrorCode.TOO_MANY_SEANCES, "seance limit of " + maxSeances
                        + " per user and workspace reached");
            }
            if (subscriptions > 0 && before.subscriptions() + subscriptions > maxSubscriptions) {
                throw new ArcanaException(ErrorCode.TOO_MANY_SUBSCRIPTIONS, "subscription limit of " + maxSubscriptions
                        + " per user and workspace reached");
            }
            Usage after = new Usage(Math.max(0, before.seances() + seances),
                    Math.max(0, before.subscriptions() + subscriptions));
            return after.isEmpty() ? null : after;
        });
    }
}
