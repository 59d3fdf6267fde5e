package dev.arcana.engine.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CommitLedgerTest {
    private final AtomicLong clock = new AtomicLong();
    private final CommitLedger<String> ledger = new CommitLedger<>(clock::get);

    @Test
    void aReportOfAnExpectedTransactionKeepsOnlyWhatItsChangesDidNotCover() {
        ledger.expect(7, List.of(Change.update("tasks", "1", "acme", "title", "done"), Change.insert("tasks", "2", "acme")));

        List<Change> reported = List.of(
                Change.update("tasks", "1", "acme", "title"),          // covered: a subset of the columns
                Change.update("tasks", "1", "acme", "position"),       // another column
                Change.insert("tasks", "2", "acme"),                   // covered
                Change.delete("tasks", "3", "acme"),                   // another row
                Change.insert("people", "2", "acme"));                 // another table

        assertThat(ledger.uncovered(7, reported)).containsExactly(reported.get(1), reported.get(3), reported.get(4));
        assertThat(ledger.uncovered(8, reported)).as("another transaction").isEqualTo(reported);
    }

    @Test
    void coverageRules() {
        Change allColumns = new Change("tasks", "1", ChangeOp.UPDATE, Set.of(), "acme");
        assertThat(CommitLedger.covers(allColumns, Change.update("tasks", "1", "acme", "x"))).isTrue();
        assertThat(CommitLedger.covers(Change.update("tasks", "1", "acme", "x"), allColumns))
                .as("unknown reported columns need all applied").isFalse();
        assertThat(CommitLedger.covers(Change.update("tasks", "1", "acme"), Change.delete("tasks", "1", "acme")))
                .as("a delete must still be announced").isFalse();
        assertThat(CommitLedger.covers(Change.tableWide("tasks"), Change.insert("tasks", "9", "acme"))).isTrue();
        assertThat(CommitLedger.covers(Change.tableWide("tasks"), Change.delete("tasks", "9", "acme"))).isFalse();
        assertThat(CommitLedger.covers(Change.insert("tasks", "1", "acme"), Change.insert("tasks", "1", "globex")))
                .as("another workspace").isFalse();
        assertThat(CommitLedger.covers(Change.insert("tasks", "1", null), Change.insert("tasks", "1", "globex")))
                .as("no workspace declared: every workspace was considered").isTrue();
    }

    @Test
    void theWaitingMutationGetsWhatTheReportProducedAndAForgottenTransactionIsAppliedInFull() throws Exception {
        CompletableFuture<String> report = ledger.awaitReport(7);
        assertThat(ledger.isAwaited(7)).isTrue();
        ledger.reported(7, "re-ran 2 views");
        assertThat(report.get(1, TimeUnit.SECONDS)).isEqualTo("re-ran 2 views");
        assertThat(ledger.isAwaited(7)).isFalse();

        ledger.expect(9, List.of(Change.insert("tasks", "1", "acme")));
        assertThat(ledger.isAwaited(9)).as("its mutation applied its changes: nobody waits").isFalse();
        ledger.forget(9);
        assertThat(ledger.uncovered(9, List.of(Change.insert("tasks", "1", "acme")))).hasSize(1);
    }

    @Test
    void entriesExpireAfterTheirTimeAndTheCapacity() {
        ledger.expect(1, List.of(Change.insert("tasks", "1", "acme")));
        clock.addAndGet(TimeUnit.SECONDS.toNanos(CommitLedger.KEEP_SECONDS + 1));
        CompletableFuture<String> second = ledger.awaitReport(2);
        assertThat(ledger.size()).isEqualTo(1);
        assertThat(ledger.uncovered(1, List.of(Change.insert("tasks", "1", "acme")))).hasSize(1);

        for (int i = 0; i < CommitLedger.CAPACITY + 10; i++) {
            ledger.expect(100 + i, List.of(Change.insert("tasks", "1", "acme")));
        }
        assertThat(ledger.size()).isEqualTo(CommitLedger.CAPACITY);
        assertThat(second).as("expired: its mutation replies without the report").isCancelled();
    }

    @Test
    void aTxidKeepsItsLow32Bits() {
        assertThat(CommitLedger.xid((3L << 32) + 12345)).isEqualTo(12345);
    }
}
