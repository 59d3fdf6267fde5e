package dev.arcana.engine;

import jakarta.json.JsonArray;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One seance's subscription to a query instance: its own version (1 at subscribe, +1 per
 * view_diff) and a bounded history of the patches it was sent, for catch-up after a reconnect.
 * Guarded by the workspace lock.
 */
final class Subscription {

    /** What one view_diff changed. */
    record PatchEntry(long version, JsonArray refsPatch, OptionalLong total) {
    }

    private final String seanceId;
    private final QueryInstance instance;
    private final int historyLimit;
    private final ArrayDeque<PatchEntry> history = new ArrayDeque<>();
    private long version = 1;

    Subscription(String seanceId, QueryInstance instance, int historyLimit) {
        this.seanceId = seanceId;
        this.instance = instance;
        this.historyLimit = historyLimit;
    }

    String seanceId() {
        return seanceId;
    }

    QueryInstance instance() {
        return instance;
    }

    String view() {
        return instance.key().graphKey();
    }

    String paramsHash() {
        return instance.key().paramsHash();
    }

    long version() {
        return version;
    }

    /** Advances the version for a new view_diff and remembers its patch. */
    long advance(JsonArray refsPatch, OptionalLong total) {
        version++;
        history.addLast(new PatchEntry(version, refsPatch, total));
        if (history.size() > historyLimit) {
            history.removeFirst();
        }
        return version;
    }

    /** The patches after {@code clientVersion} in order, or null when the history no longer covers them. */
    List<PatchEntry> patchesSince(long clientVersion) {
        if (clientVersion > version || clientVersion < 1) {
            return null;
        }
        long missing = version - clientVersion;
        if (missing == 0) {
            return List.of();
        }
        if (missing > history.size()) {
            return null;
        }
        List<PatchEntry> patches = new ArrayList<>((int) missing);
        for (PatchEntry entry : history) {
            if (entry.version() > clientVersion) {
                patches.add(entry);
            }
        }
        return patches;
    }

    /** After a snapshot the client holds the current state: older history is of no use. */
    void resetHistory() {
        history.clear();
    }
}
