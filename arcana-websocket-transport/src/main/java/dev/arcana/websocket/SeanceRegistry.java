package dev.arcana.websocket;

import dev.arcana.api.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The authenticated connections, by seance and by workspace, and the grace period of seances
 * whose last connection closed.
 *
 * <ul>
 * <li>A seance may have several connections (two tabs sharing a seance id, a reconnect that
 * overlaps the old socket): each is attached and detached on its own; the seance is "connected"
 * while any is attached.</li>
 * <li>When the last one detaches, the seance's subscriptions live on for the grace period; a
 * connection of the seance that attaches in time cancels the release. Otherwise {@code release}
 * is called (the engine's {@code releaseSeance}). A grace period of 0 releases at once.</li>
 * <li>A seance belongs to one identity (user, workspace, binding): the engine refuses a
 * connection of another identity before it gets here ({@code claimSeance}), and the registry
 * refuses it too while the seance is registered, connected or in its grace period.</li>
 * </ul>
 *
 * <p>Lookups ({@link #seance}, {@link #workspace}) are lock-free reads of immutable lists, for
 * the publishing hot path; changes take the registry's lock and replace the lists. The lock is
 * never held while calling {@code release} or a timer.
 *
 * @param <C> the connection type
 */
final class SeanceRegistry<C> {
    private static final System.Logger LOG = System.getLogger(SeanceRegistry.class.getName());

    /** Outcome of {@link #attach}. */
    enum Attach { ATTACHED, ALREADY_ATTACHED, REFUSED_OTHER_OWNER, REFUSED_SHUT_DOWN }

    private final long gracePeriodMs;
    private final Timers timers;
    private final Function<C, Identity> identityOf;
    private final Consumer<String> release;

    private final Map<String, Entry<C>> seances = new ConcurrentHashMap<>();
    private final Map<String, List<C>> workspaces = new ConcurrentHashMap<>();
    private boolean shutDown; // guarded by this

    /** One seance: its owner, its connections, and its release timer while it has none. */
    private static final class Entry<C> {
        final Identity.Owner owner;
        final String workspaceId;
        volatile List<C> connections = List.of();
        Timers.Cancellable releaseTimer;
        long generation;

        Entry(Identity owner) {
            this.owner = owner.owner();
            this.workspaceId = owner.workspaceId();
        }

        boolean ownedBy(Identity identity) {
            return owner.equals(identity.owner());
        }
    }

    SeanceRegistry(long gracePeriodMs, Timers timers, Function<C, Identity> identityOf, Consumer<String> release) {
        this.gracePeriodMs = gracePeriodMs;
        this.timers = timers;
        this.identityOf = identityOf;
        this.release = release;
    }

    /** Registers an authenticated connection (its identity must be set). */
    Attach attach(C connection) {
        Identity identity = identityOf.apply(connection);
        String seanceId = identity.seanceId();
        synchronized (this) {
            if (shutDown) {
                return Attach.REFUSED_SHUT_DOWN;
            }
            Entry<C> entry = seances.get(seanceId);
            if (entry != null && !entry.ownedBy(identity)) {
                // connected or in its grace period: still the old owner's (the engine refuses it too)
                return Attach.REFUSED_OTHER_OWNER;
            }
            if (entry == null) {
                entry = new Entry<>(identity);
                seances.put(seanceId, entry);
            } else if (entry.connections.contains(connection)) {
                return Attach.ALREADY_ATTACHED;
            }
            cancelTimer(entry);
            entry.connections = plus(entry.connections, connection);
            workspaces.put(entry.workspaceId, plus(workspaces.getOrDefault(entry.workspaceId, List.of()), connection));
        }
        return Attach.ATTACHED;
    }

    /**
     * Unregisters a connection (idempotent). When it was the seance's last, the grace period starts.
     *
     * @return true when this call detached it
     */
    boolean detach(C connection) {
        Identity identity = identityOf.apply(connection);
        if (identity == null) {
            return false;
        }
        String seanceId = identity.seanceId();
        boolean releaseNow = false;
        synchronized (this) {
            Entry<C> entry = seances.get(seanceId);
            if (entry == null || !entry.connections.contains(connection)) {
                return false;
            }
            entry.connections = minus(entry.connections, connection);
            List<C> inWorkspace = minus(workspaces.getOrDefault(entry.workspaceId, List.of()), connection);
            if (inWorkspace.isEmpty()) {
                workspaces.remove(entry.workspaceId);
            } else {
                workspaces.put(entry.workspaceId, inWorkspace);
            }
            if (entry.connections.isEmpty() && !shutDown) {
                if (gracePeriodMs == 0) {
                    seances.remove(seanceId);
                    releaseNow = true;
                } else {
                    long generation = ++entry.generation;
                    Entry<C> scheduled = entry;
                    entry.releaseTimer = timers.schedule(() -> expire(seanceId, scheduled, generation), gracePeriodMs);
                }
            }
        }
        if (releaseNow) {
            releaseQuietly(seanceId);
        }
        return true;
    }

    /** The seance's connections (empty when none). */
    List<C> seance(String seanceId) {
        Entry<C> entry = seances.get(seanceId);
        return entry == null ? List.of() : entry.connections;
    }

    /** Whether the seance is registered: with connections, or waiting out its grace period. */
    boolean holds(String seanceId) {
        return seances.containsKey(seanceId);
    }

    /** The workspace's connections (empty when none). */
    List<C> workspace(String workspaceId) {
        return workspaces.getOrDefault(workspaceId, List.of());
    }

    /** Seances with at least one connection. */
    int connectedSeances() {
        return (int) seances.values().stream().filter(e -> !e.connections.isEmpty()).count();
    }

    /** Seances waiting out their grace period. */
    int seancesInGrace() {
        return (int) seances.values().stream().filter(e -> e.connections.isEmpty()).count();
    }

    /** Every attached connection. */
    List<C> connections() {
        List<C> all = new ArrayList<>();
        seances.values().forEach(e -> all.addAll(e.connections));
        return all;
    }

    /**
     * Forgets everything without releasing anything: the application is stopping and the engine
     * drops every seance itself. Later attaches are refused.
     */
    void shutdown() {
        synchronized (this) {
            shutDown = true;
            seances.values().forEach(this::cancelTimer);
            seances.clear();
            workspaces.clear();
        }
    }

    private void expire(String seanceId, Entry<C> entry, long generation) {
        synchronized (this) {
            if (seances.get(seanceId) != entry || !entry.connections.isEmpty() || entry.generation != generation) {
                return; // a connection came back (or the entry was replaced) in time
            }
            seances.remove(seanceId);
            entry.releaseTimer = null;
        }
        LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: seance {0} released: no connection within {1} ms",
                seanceId, gracePeriodMs);
        releaseQuietly(seanceId);
    }

    private void cancelTimer(Entry<C> entry) {
        entry.generation++;
        if (entry.releaseTimer != null) {
            entry.releaseTimer.cancel();
            entry.releaseTimer = null;
        }
    }

    private void releaseQuietly(String seanceId) {
        try {
            release.accept(seanceId);
        } catch (RuntimeException e) {
            // e.g. the engine is stopping: it drops every seance itself
            LOG.log(System.Logger.Level.DEBUG, "ARCANA-WS: releasing seance " + seanceId + " failed", e);
        }
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list.size() + 1);
        copy.addAll(list);
        copy.add(item);
        return List.copyOf(copy);
    }

    private static <T> List<T> minus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.remove(item);
        return List.copyOf(copy);
    }
}
