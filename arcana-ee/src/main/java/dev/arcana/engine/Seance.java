package dev.arcana.engine;

import dev.arcana.api.Identity;
import dev.arcana.engine.mutation.MutationMemory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions of one client session, by view and params hash, its mutations, and the identity it belongs
 * to (fixed at creation: a seance never changes user, workspace or binding). Callers synchronise
 * on the seance; a retired seance (emptied and removed from the engine) must not be used again.
 */
final class Seance {
    private final String id;
    private final Identity.Owner owner;
    /** Subscribes of this seance between their reservation and their first load (capped with the held ones). */
    private int loading;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private boolean retired;
    private final MutationMemory mutations = new MutationMemory();
    /** A transport took the seance on (a connection): it then lives, empty or not, until released. */
    private boolean claimed;
    /** Readable without the seance's lock (stats must not wait for a subscribe that is loading). */
    private volatile int count;
    /** The engine clock's time of the seance's last API call (the idle sweep reads it without the lock). */
    private volatile long lastCallNanos;

    Seance(String id, Identity.Owner owner, long createdNanos) {
        this.id = id;
        this.owner = owner;
        this.lastCallNanos = createdNanos;
    }

    /** Records an API call of the seance (subscribe, unsubscribe, sync, active). */
    long lastCallNanos() {
        return lastCallNanos;
    }

    void touch(long nanos) {
        lastCallNanos = nanos;
    }

    /** Whether the seance made no call for longer than {@code ttlNanos} until {@code nowNanos}. */
    boolean idleLongerThan(long ttlNanos, long nowNanos) {
        return nowNanos - lastCallNanos > ttlNanos;
    }

    String id() {
        return id;
    }

    Identity.Owner owner() {
        return owner;
    }

    boolean ownedBy(Identity identity) {
        return owner.equals(identity.owner());
    }

    /** Held and loading subscriptions: what the per-seance cap counts. */
    int sizeWithLoading() {
        return subscriptions.size() + loading;
    }

    void startLoading() {
        loading++;
    }

    void finishLoading() {
        loading--;
    }

    Subscription get(String view, String paramsHash) {
        return subscriptions.get(key(view, paramsHash));
    }

    void put(Subscription subscription) {
        subscriptions.put(key(subscription.view(), subscription.paramsHash()), subscription);
        count = subscriptions.size();
    }

    Subscription remove(String view, String paramsHash) {
        Subscription removed = subscriptions.remove(key(view, paramsHash));
        count = subscriptions.size();
        return removed;
    }

    List<Subscription> removeAll() {
        List<Subscription> all = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        count = 0;
        return all;
    }

    List<Subscription> all() {
        return new ArrayList<>(subscriptions.values());
    }

    int size() {
        return count;
    }

    /** Its running mutations and the outcomes of its last mutation ids. */
    MutationMemory mutations() {
        return mutations;
    }

    void claim() {
        claimed = true;
    }

    boolean isClaimed() {
        return claimed;
    }

    boolean isRetired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    private static String key(String view, String paramsHash) {
        return view + '\u0000' + paramsHash;
    }
}
