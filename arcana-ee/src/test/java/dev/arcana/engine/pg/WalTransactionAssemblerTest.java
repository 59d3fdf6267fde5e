package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.Change;
import dev.arcana.api.ChangeOp;
import dev.arcana.api.TableDependency;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Decoded messages → changes per transaction, without a database. */
class WalTransactionAssemblerTest {
    private static final String UPPER = "AAAAAAAA-0000-4000-8000-00000000000A";

    private final WalTransactionAssembler assembler = new WalTransactionAssembler(
            Map.of("app.tasks", "tasks", "public.flags", "flags"),
            Map.of("tasks", TableDependency.of("tasks", "title").tenantColumn("ws"),
                    "flags", TableDependency.of("flags", "label").keyColumn("on").tenantColumn("ws")),
            3);

    private WalTransactionAssembler.Batch feed(ByteBuffer... messages) {
        WalTransactionAssembler.Batch batch = null;
        for (ByteBuffer message : messages) {
            WalTransactionAssembler.Batch done = assembler.accept(PgOutputDecoder.decode(message));
            if (done != null) {
                assertThat(batch).as("one batch per commit").isNull();
                batch = done;
            }
        }
        return batch;
    }

    private static ByteBuffer tasks() {
        return PgOutputBytes.relation(100, "app", "tasks", 'f', "id:2950", "ws:25", "title:25", "note:25");
    }

    @Test
    void aTransactionIsOneBatchWithItsXidAndEndLsn() {
        WalTransactionAssembler.Batch batch = feed(PgOutputBytes.begin(77), tasks(),
                PgOutputBytes.message('I').int32(100).int8('N').tuple(UPPER, "acme", "t", null).buffer(),
                PgOutputBytes.commit(0x500));
        assertThat(batch.xid()).isEqualTo(77);
        assertThat(batch.endLsn()).isEqualTo(0x500);
        assertThat(batch.changes()).containsExactly(
                new Change("tasks", UPPER.toLowerCase(), ChangeOp.INSERT, Set.of(), "acme"));
    }

    @Test
    void fullOldRowsGiveTheChangedColumnsAndNoOpUpdatesVanish() {
        WalTransactionAssembler.Batch batch = feed(PgOutputBytes.begin(1), tasks(),
                PgOutputBytes.message('U').int32(100).int8('O').tuple("a", "acme", "t", "x")
                        .int8('N').tuple("a", "acme", "t2", "\u0000u").buffer(),
                PgOutputBytes.message('U').int32(100).int8('O').tuple("a", "acme", "t2", "x")
                        .int8('N').tuple("a", "acme", "t2", "x").buffer(),
                PgOutputBytes.message('U').int32(100).int8('O').tuple("a", "acme", "t2", "x")
                        .int8('N').tuple("a", "globex", "t2", "x").buffer(),
                PgOutputBytes.commit(9));
        assertThat(batch.changes()).containsExactly(
                new Change("tasks", "a", ChangeOp.UPDATE, Set.of("title"), "acme"),
                new Change("tasks", "a", ChangeOp.DELETE, Set.of(), "acme"),
                new Change("tasks", "a", ChangeOp.INSERT, Set.of(), "globex"));
    }

    @Test
    void customKeyColumnBooleansAndUnknownRelations() {
        WalTransactionAssembler.Batch batch = feed(PgOutputBytes.begin(2),
                PgOutputBytes.relation(200, "public", "flags", 'd', "on:16", "ws:25", "label:25"),
                PgOutputBytes.relation(300, "public", "audit", 'd', "id:23"),
                PgOutputBytes.message('I').int32(200).int8('N').tuple("t", null, "x").buffer(),
                PgOutputBytes.message('I').int32(300).int8('N').tuple("1").buffer(),
                PgOutputBytes.message('D').int32(200).int8('K').tuple("f", null, null).buffer(),
                PgOutputBytes.commit(10));
        assertThat(batch.changes()).containsExactly(
                new Change("flags", "true", ChangeOp.INSERT, Set.of(), null),
                new Change("flags", "false", ChangeOp.DELETE, Set.of(), null));
        assertThat(assembler.unboundRelations()).isEqualTo(1);
    }

    @Test
    void moreChangesThanTheLimitCollapseToOneTableWideChangePerTable() {
        ByteBuffer insert = PgOutputBytes.message('I').int32(100).int8('N').tuple("a", "acme", "t", null).buffer();
        WalTransactionAssembler.Batch batch = feed(PgOutputBytes.begin(3), tasks(), insert.duplicate(),
                insert.duplicate(), insert.duplicate(), insert.duplicate(), PgOutputBytes.commit(11));
        assertThat(batch.changes()).containsExactly(Change.tableWide("tasks"));

        WalTransactionAssembler.Batch next = feed(PgOutputBytes.begin(4), insert.duplicate(), PgOutputBytes.commit(12));
        assertThat(next.changes()).as("the limit is per transaction").hasSize(1);
    }

    @Test
    void anEmptyTransactionIsAnEmptyBatchThatStillMovesThePosition() {
        WalTransactionAssembler.Batch batch = feed(PgOutputBytes.begin(5), PgOutputBytes.commit(13));
        assertThat(batch.changes()).isEmpty();
        assertThat(batch.endLsn()).isEqualTo(13);
    }

    @Test
    void aPositiveLimitIsRequired() {
        assertThatThrownBy(() -> new WalTransactionAssembler(Map.of(), Map.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
