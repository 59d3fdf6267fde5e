package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.arcana.api.Change;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChangeLogTest {

    @Test
    void offItRecordsNothing() {
        ChangeLog off = new ChangeLog(0);
        assertThat(off.isOn()).isFalse();
        assertThat(off.received(Change.update("tasks", "1", "acme", "title"))).isNull();
        assertThat(off.recent(workspace -> true)).isEmpty();
        assertThatThrownBy(() -> new ChangeLog(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsTheNewestEntriesNewestFirst() {
        ChangeLog log = new ChangeLog(3);
        for (int i = 1; i <= 5; i++) {
            log.received(Change.update("tasks", String.valueOf(i), "acme", "title"));
        }
        assertThat(log.recent(workspace -> true)).extracting(entry -> entry.change().id()).containsExactly("5", "4", "3");
    }

    @Test
    void showsOnlyVisibleWorkspacesAndTheirRunsWithTimesFromReception() {
        ChangeLog log = new ChangeLog(10);
        ChangeLog.Entry acme = log.received(Change.update("tasks", "1", "acme", "title"));
        log.received(Change.update("tasks", "2", "globex", "title"));
        ChangeLog.Entry everywhere = log.received(Change.tableWide("tasks"));
        long t = System.nanoTime();
        acme.marked();
        acme.answered(new ChangeLog.Hop("acme", "task_list", "h1", t + 1_000_000, t + 3_000_000, t + 3_500_000));
        everywhere.marked();
        everywhere.marked();
        everywhere.answered(new ChangeLog.Hop("acme", "task_list", "h1", t, t, t));
        everywhere.answered(new ChangeLog.Hop("globex", "task_list", "h2", t, t, t));

        List<ChangeLog.EntryView> seen = log.recent("acme"::equals);
        assertThat(seen).extracting(entry -> entry.change().id()).containsExactly(null, "1");
        assertThat(seen.get(0).instancesMarked()).isEqualTo(2);
        assertThat(seen.get(0).runs()).extracting(ChangeLog.HopView::workspace).containsExactly("acme");
        ChangeLog.HopView run = seen.get(1).runs().get(0);
        assertThat(run.finishedAfterMs() - run.startedAfterMs()).isCloseTo(2.0, within(0.0015)); // µs-rounded ms
        assertThat(run.pushedAfterMs() - run.finishedAfterMs()).isCloseTo(0.5, within(0.0015));
    }

    @Test
    void aChangeFanningOutKeepsABoundedNumberOfRuns() {
        ChangeLog log = new ChangeLog(1);
        ChangeLog.Entry entry = log.received(Change.tableWide("tasks"));
        for (int i = 0; i < 100; i++) {
            entry.marked();
            entry.answered(new ChangeLog.Hop("acme", "task_list", "h" + i, 0, 0, 0));
        }
        ChangeLog.EntryView view = log.recent(workspace -> true).get(0);
        assertThat(view.instancesMarked()).isEqualTo(100);
        assertThat(view.runs()).hasSize(ChangeLog.MAX_HOPS);
    }
}
