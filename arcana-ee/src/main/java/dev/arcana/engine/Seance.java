package dev.arcana.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subscriptions of one client session, by view and params hash. Callers synchronise on the
 * seance; a retired seance (emptied and removed from the engine) must not be used again.
 */
final class Seance {
    private final String id;
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private boolean retired;

    Seance(String id) {
        this.id = id;
    }

    String id() {
        return id;
    }

    Subscription get(String view, String paramsHash) {
        return subscriptions.get(key(view, paramsHash));
    }

    void put(Subscription subscription) {
        subscriptions.put(key(subscription.view(), subscription.paramsHash()), subscription);
    }

    Subscription remove(String view, String paramsHash) {
        return subscriptions.remove(key(view, paramsHash));
    }

    List<Subscription> removeAll() {
        List<Subscription> all = new ArrayList<>(subscriptions.values());
        subscriptions.clear();
        return all;
    }

    List<Subscription> all() {
        return new ArrayList<>(subscriptions.values());
    }

    int size() {
        return subscriptions.size();
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
