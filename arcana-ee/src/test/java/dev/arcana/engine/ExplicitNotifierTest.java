package dev.arcana.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.spi.ChangeSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

class ExplicitNotifierTest {

    /** Collects what the notifier hands over. */
    static final class RecordingSink implements ChangeSink {
        final List<Change> changes = new ArrayList<>();
        final List<String> invalidatedAll = new ArrayList<>();

        @Override
        public void accept(List<Change> transaction) {
            changes.addAll(transaction);
        }

        @Override
        public void invalidateAll(String reason) {
            invalidatedAll.add(reason);
        }
    }

    /** Holds submitted tasks until the test runs them, so that the queue can fill up. */
    static final class ManualExecutor implements Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        /** Runs at most {@code bound} tasks (a drain that keeps rescheduling itself would never end). */
        int runAtMost(int bound) {
            int ran = 0;
            while (!tasks.isEmpty() && ran < bound) {
                tasks.remove(0).run();
                ran++;
            }
            return ran;
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    @Test
    void queuedChangesReachTheSinkInOrder() {
        ManualExecutor executor = new ManualExecutor();
        RecordingSink sink = new RecordingSink();
        ExplicitNotifier notifier = new ExplicitNotifier(10, executor);
        notifier.start(sink);
        notifier.offer(Change.update("users", "1", "w", "name"));
        notifier.offer(Change.delete("users", "2", "w"));
        assertThat(notifier.isDrained()).isFalse();
        executor.runAll();
        assertThat(sink.changes).extracting(Change::id).containsExactly("1", "2");
        assertThat(notifier.isDrained()).isTrue();
    }

    @Test
    void overflowDegradesToTableWideInvalidationInsteadOfLosingChanges() {
        ManualExecutor executor = new ManualExecutor();
        RecordingSink sink = new RecordingSink();
        ExplicitNotifier notifier = new ExplicitNotifier(2, executor);
        notifier.start(sink);
        notifier.offer(Change.update("users", "1", "w", "name"));
        notifier.offer(Change.update("users", "2", "w", "name"));
        notifier.offer(Change.update("tasks", "3", "w", "title"));
        executor.runAll();

        assertThat(sink.changes).contains(Change.tableWide("tasks"));
        assertThat(sink.changes).extracting(Change::id).contains("1", "2");
        assertThat(notifier.isDrained()).isTrue();
    }

    @Test
    void overflowOnTooManyTablesInvalidatesEverything() {
        ManualExecutor executor = new ManualExecutor();
        RecordingSink sink = new RecordingSink();
        ExplicitNotifier notifier = new ExplicitNotifier(1, executor);
        notifier.start(sink);
        for (int i = 0; i < 2_000; i++) {
            notifier.offer(Change.update("t" + i, "1", null));
        }
        executor.runAll();
        assertThat(sink.invalidatedAll).containsExactly("notify_overflow");
    }

    @Test
    void stopAfterAnOverflowOfEverythingLeavesNoDrainRescheduling() {
        ManualExecutor executor = new ManualExecutor();
        RecordingSink sink = new RecordingSink();
        ExplicitNotifier notifier = new ExplicitNotifier(1, executor);
        notifier.start(sink);
        for (int i = 0; i < 2_000; i++) {
            notifier.offer(Change.update("t" + i, "1", null));
        }
        notifier.stop();

        executor.runAtMost(100);

        assertThat(executor.tasks).as("drain must not reschedule itself after stop").isEmpty();
        assertThat(sink.invalidatedAll).isEmpty();
        assertThat(notifier.isDrained()).isTrue();
    }

    @Test
    void offersAfterStopAreDroppedWithoutSchedulingWork() {
        ManualExecutor executor = new ManualExecutor();
        RecordingSink sink = new RecordingSink();
        ExplicitNotifier notifier = new ExplicitNotifier(1, executor);
        notifier.start(sink);
        notifier.stop();
        notifier.offer(Change.update("users", "1", "w", "name"));
        notifier.offer(Change.update("users", "2", "w", "name"));

        assertThat(executor.runAtMost(100)).isLessThanOrEqualTo(1);
        assertThat(executor.tasks).isEmpty();
        assertThat(sink.changes).isEmpty();
    }
}
