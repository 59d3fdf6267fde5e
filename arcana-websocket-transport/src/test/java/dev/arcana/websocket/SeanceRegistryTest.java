package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Identity;
import dev.arcana.websocket.Fakes.ManualTimers;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class SeanceRegistryTest {
    private static final long GRACE = 30_000;

    private final ManualTimers timers = new ManualTimers();
    private final List<String> released = new CopyOnWriteArrayList<>();
    private final SeanceRegistry<Conn> registry = new SeanceRegistry<>(GRACE, timers, Conn::identity, released::add);

    /** A connection is only its identity here. */
    record Conn(String name, Identity identity) {
        static Conn of(String name, String seance, String user, String workspace) {
            return new Conn(name, new Identity(seance, user, workspace));
        }
    }

    @Test
    void twoConnectionsOfOneSeanceKeepEachOthersState() {
        Conn tab1 = Conn.of("tab1", "s1", "u1", "acme");
        Conn tab2 = Conn.of("tab2", "s1", "u1", "acme");
        registry.attach(tab1);
        registry.attach(tab2);

        registry.detach(tab1);

        assertThat(registry.seance("s1")).containsExactly(tab2);
        assertThat(registry.workspace("acme")).containsExactly(tab2);
        assertThat(timers.scheduled()).isZero();
        timers.advance(GRACE * 2);
        assertThat(released).isEmpty();
    }

    @Test
    void lastConnectionGoneReleasesTheSeanceAfterTheGracePeriod() {
        Conn conn = Conn.of("c", "s1", "u1", "acme");
        registry.attach(conn);
        registry.detach(conn);

        assertThat(registry.seance("s1")).isEmpty();
        assertThat(registry.seancesInGrace()).isEqualTo(1);
        timers.advance(GRACE - 1);
        assertThat(released).isEmpty();
        timers.advance(1);
        assertThat(released).containsExactly("s1");
        assertThat(registry.seancesInGrace()).isZero();
        timers.advance(GRACE * 3);
        assertThat(released).containsExactly("s1");
    }

    @Test
    void theRegistryHoldsASeanceWhileConnectedAndThroughItsGracePeriodOnly() {
        Conn conn = Conn.of("c", "s1", "u1", "acme");
        assertThat(registry.holds("s1")).isFalse();
        registry.attach(conn);
        assertThat(registry.holds("s1")).as("connected").isTrue();

        registry.detach(conn);
        timers.advance(GRACE - 1);
        assertThat(registry.holds("s1")).as("in its grace period").isTrue();
        timers.advance(1);
        assertThat(registry.holds("s1")).as("released: the engine's idle sweep may take it").isFalse();
    }

    @Test
    void aReconnectWithinTheGracePeriodKeepsTheSeance() {
        Conn old = Conn.of("old", "s1", "u1", "acme");
        registry.attach(old);
        registry.detach(old);
        timers.advance(GRACE - 1);

        Conn fresh = Conn.of("new", "s1", "u1", "acme");
        assertThat(registry.attach(fresh)).isEqualTo(SeanceRegistry.Attach.ATTACHED);
        timers.advance(GRACE * 2);

        assertThat(released).isEmpty();
        assertThat(registry.seance("s1")).containsExactly(fresh);
        assertThat(registry.seancesInGrace()).isZero();
    }

    @Test
    void aReconnectOverlappingTheOldSocketStartsNoGracePeriod() {
        Conn old = Conn.of("old", "s1", "u1", "acme");
        Conn fresh = Conn.of("new", "s1", "u1", "acme");
        registry.attach(old);
        registry.attach(fresh); // the new socket opens before the old one is noticed closed

        registry.detach(old);

        assertThat(timers.scheduled()).isZero();
        assertThat(registry.seance("s1")).containsExactly(fresh);
    }

    @Test
    void aReleaseTimerThatFiresAfterAReconnectReleasesNothing() {
        timers.cancelWorks = false; // the timer already started when the reconnect cancelled it
        Conn first = Conn.of("first", "s1", "u1", "acme");
        registry.attach(first);
        registry.detach(first);
        Conn second = Conn.of("second", "s1", "u1", "acme");
        registry.attach(second);
        timers.advance(GRACE);
        assertThat(released).isEmpty();

        registry.detach(second); // a new grace period: the stale timer above must not have counted
        timers.advance(GRACE - 1);
        assertThat(released).isEmpty();
        timers.advance(1);
        assertThat(released).containsExactly("s1");
    }

    @Test
    void aGracePeriodOfZeroReleasesAtOnce() {
        SeanceRegistry<Conn> immediate = new SeanceRegistry<>(0, timers, Conn::identity, released::add);
        Conn conn = Conn.of("c", "s1", "u1", "acme");
        immediate.attach(conn);

        immediate.detach(conn);

        assertThat(released).containsExactly("s1");
        assertThat(timers.scheduled()).isZero();
    }

    @Test
    void detachIsIdempotent() {
        Conn conn = Conn.of("c", "s1", "u1", "acme");
        registry.attach(conn);
        assertThat(registry.detach(conn)).isTrue();
        assertThat(registry.detach(conn)).isFalse();
        assertThat(timers.scheduled()).isEqualTo(1);
        assertThat(registry.attach(conn)).isEqualTo(SeanceRegistry.Attach.ATTACHED);
        assertThat(registry.attach(conn)).isEqualTo(SeanceRegistry.Attach.ALREADY_ATTACHED);
        assertThat(registry.seance("s1")).containsExactly(conn);
    }

    @Test
    void workspacesOnlyHoldTheirOwnConnections() {
        Conn acme1 = Conn.of("a1", "s1", "u1", "acme");
        Conn acme2 = Conn.of("a2", "s2", "u2", "acme");
        Conn globex = Conn.of("g", "s3", "u3", "globex");
        registry.attach(acme1);
        registry.attach(acme2);
        registry.attach(globex);

        assertThat(registry.workspace("acme")).containsExactly(acme1, acme2);
        assertThat(registry.workspace("globex")).containsExactly(globex);
        assertThat(registry.workspace("initech")).isEmpty();
        registry.detach(globex);
        assertThat(registry.workspace("globex")).isEmpty();
        assertThat(registry.connectedSeances()).isEqualTo(2);
    }

    @Test
    void anotherIdentityIsRefusedWhileTheSeanceIsConnected() {
        registry.attach(Conn.of("owner", "s1", "u1", "acme"));

        assertThat(registry.attach(Conn.of("intruder", "s1", "u2", "acme")))
                .isEqualTo(SeanceRegistry.Attach.REFUSED_OTHER_OWNER);
        assertThat(registry.attach(Conn.of("other-ws", "s1", "u1", "globex")))
                .isEqualTo(SeanceRegistry.Attach.REFUSED_OTHER_OWNER);
        assertThat(registry.seance("s1")).extracting(Conn::name).containsExactly("owner");
        assertThat(registry.workspace("globex")).isEmpty();
    }

    @Test
    void anotherIdentityIsRefusedDuringTheGracePeriodAndTheOwnersReleaseStillComes() {
        Conn owner = Conn.of("owner", "s1", "u1", "acme");
        registry.attach(owner);
        registry.detach(owner);

        assertThat(registry.attach(Conn.of("next", "s1", "u2", "globex")))
                .isEqualTo(SeanceRegistry.Attach.REFUSED_OTHER_OWNER);
        assertThat(registry.attach(new Conn("rebound", new Identity("s1", "u1", "acme", "", Set.of(), "other-login"))))
                .isEqualTo(SeanceRegistry.Attach.REFUSED_OTHER_OWNER);
        assertThat(registry.workspace("globex")).isEmpty();
        assertThat(released).isEmpty();
        timers.advance(GRACE);
        assertThat(released).containsExactly("s1");
    }

    @Test
    void aRoleChangeKeepsTheSeance() {
        registry.attach(new Conn("a", new Identity("s1", "u1", "acme", "viewer", java.util.Set.of())));
        assertThat(registry.attach(new Conn("b", new Identity("s1", "u1", "acme", "admin", java.util.Set.of()))))
                .isEqualTo(SeanceRegistry.Attach.ATTACHED);
    }

    @Test
    void shutdownForgetsEverythingAndReleasesNothing() {
        Conn a = Conn.of("a", "s1", "u1", "acme");
        Conn b = Conn.of("b", "s2", "u2", "acme");
        registry.attach(a);
        registry.attach(b);
        registry.detach(b); // in grace

        registry.shutdown();
        timers.advance(GRACE * 2);

        assertThat(released).isEmpty();
        assertThat(registry.seance("s1")).isEmpty();
        assertThat(registry.workspace("acme")).isEmpty();
        assertThat(registry.attach(Conn.of("late", "s3", "u3", "acme")))
                .isEqualTo(SeanceRegistry.Attach.REFUSED_SHUT_DOWN);
    }

    @Test
    void aFailingReleaseIsContained() {
        SeanceRegistry<Conn> failing = new SeanceRegistry<>(GRACE, timers, Conn::identity, id -> {
            throw new IllegalStateException("engine stopped");
        });
        Conn conn = Conn.of("c", "s1", "u1", "acme");
        failing.attach(conn);
        failing.detach(conn);

        timers.advance(GRACE);

        assertThat(failing.seancesInGrace()).isZero();
    }
}
