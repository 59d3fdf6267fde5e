package dev.arcana.engine.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.engine.pg.PgOutputMessage.Begin;
import dev.arcana.engine.pg.PgOutputMessage.Column;
import dev.arcana.engine.pg.PgOutputMessage.Commit;
import dev.arcana.engine.pg.PgOutputMessage.Delete;
import dev.arcana.engine.pg.PgOutputMessage.Insert;
import dev.arcana.engine.pg.PgOutputMessage.Other;
import dev.arcana.engine.pg.PgOutputMessage.Relation;
import dev.arcana.engine.pg.PgOutputMessage.Truncate;
import dev.arcana.engine.pg.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {

    @Test
    void beginAndCommit() {
        assertThat(PgOutputDecoder.decode(PgOutputBytes.begin(-5))).isEqualTo(new Begin(0x16B3748L, 1_000_000L, -5));
        assertThat(PgOutputDecoder.decode(PgOutputBytes.commit(0x2000L)))
                .isEqualTo(new Commit(0x2000L - 8, 0x2000L, 1_000_001L));
    }

    @Test
    void relationWithKeyFlagsTypesAndUnicodeNames() {
        Relation relation = (Relation) PgOutputDecoder.decode(
                PgOutputBytes.relation(16384, "app", "tâches", 'f', "id:2950", "titre:25", "done:16"));
        assertThat(relation.oid()).isEqualTo(16384);
        assertThat(relation.namespace()).isEqualTo("app");
        assertThat(relation.name()).isEqualTo("tâches");
        assertThat(relation.replicaIdentity()).isEqualTo('f');
        assertThat(relation.columns()).containsExactly(new Column("id", 2950, -1, true),
                new Column("titre", 25, -1, false), new Column("done", 16, -1, false));
    }

    @Test
    void insertWithNullAndTextValues() {
        Insert insert = (Insert) PgOutputDecoder.decode(PgOutputBytes.message('I').int32(7).int8('N')
                .tuple("42", null, "héllo").buffer());
        assertThat(insert.relationOid()).isEqualTo(7);
        assertThat(insert.newTuple().size()).isEqualTo(3);
        assertThat(insert.newTuple().text(0)).isEqualTo("42");
        assertThat(insert.newTuple().kind(1)).isEqualTo('n');
        assertThat(insert.newTuple().text(1)).isNull();
        assertThat(insert.newTuple().text(2)).isEqualTo("héllo");
    }

    @Test
    void updateWithoutWithKeyAndWithOldRow() {
        Update plain = (Update) PgOutputDecoder.decode(PgOutputBytes.message('U').int32(7).int8('N').tuple("1", "a")
                .buffer());
        assertThat(plain.oldKind()).isEqualTo((char) 0);
        assertThat(plain.oldTuple()).isNull();

        Update keyed = (Update) PgOutputDecoder.decode(PgOutputBytes.message('U').int32(7).int8('K').tuple("1", null)
                .int8('N').tuple("2", "a").buffer());
        assertThat(keyed.oldKind()).isEqualTo('K');
        assertThat(keyed.oldTuple().text(0)).isEqualTo("1");
        assertThat(keyed.newTuple().text(0)).isEqualTo("2");

        Update full = (Update) PgOutputDecoder.decode(PgOutputBytes.message('U').int32(7).int8('O').tuple("1", "a")
                .int8('N').tuple("1", "\u0000u").buffer());
        assertThat(full.oldKind()).isEqualTo('O');
        assertThat(full.newTuple().kind(1)).as("unchanged TOAST value").isEqualTo('u');
    }

    @Test
    void deleteAndTruncate() {
        Delete delete = (Delete) PgOutputDecoder.decode(PgOutputBytes.message('D').int32(9).int8('K').tuple("5")
                .buffer());
        assertThat(delete.oldKind()).isEqualTo('K');
        assertThat(delete.oldTuple().text(0)).isEqualTo("5");
        assertThat(PgOutputDecoder.decode(PgOutputBytes.message('T').int32(2).int8(1).int32(9).int32(10).buffer()))
                .isEqualTo(new Truncate(List.of(9, 10), 1));
    }

    @Test
    void messagesChangeDetectionDoesNotNeedAreSkipped() {
        assertThat(PgOutputDecoder.decode(PgOutputBytes.message('Y').int32(1).string("public").string("mood")
                .buffer())).isEqualTo(new Other('Y'));
        assertThat(PgOutputDecoder.decode(PgOutputBytes.message('O').int64(1).string("origin").buffer()))
                .isEqualTo(new Other('O'));
    }

    @Test
    void malformedInputFailsNamingTheMessage() {
        assertThatThrownBy(() -> PgOutputDecoder.decode(ByteBuffer.allocate(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("empty pgoutput message");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('B').int32(1).buffer()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("pgoutput message 'B' is truncated");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('R').int32(1).int8('a').buffer()))
                .hasMessage("pgoutput message 'R' is truncated");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('I').int32(1).int8('X').buffer()))
                .hasMessage("pgoutput 'I': expected 'N', got 'X'");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('D').int32(1).int8('N').tuple("1")
                .buffer())).hasMessage("pgoutput delete: unexpected tuple kind 'N'");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('I').int32(1).int8('N').int16(1)
                .int8('b').buffer())).hasMessageStartingWith("pgoutput column kind 'b'");
        assertThatThrownBy(() -> PgOutputDecoder.decode(PgOutputBytes.message('I').int32(1).int8('N').int16(1)
                .int8('t').int32(100).buffer())).hasMessage("pgoutput column value of 100 bytes with 0 left");
    }

    @Test
    void directBuffersDecodeLikeHeapBuffers() {
        ByteBuffer heap = PgOutputBytes.relation(1, "s", "t", 'd', "id:23");
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.remaining()).put(heap.duplicate()).flip();
        assertThat(PgOutputDecoder.decode(direct)).isEqualTo(PgOutputDecoder.decode(heap));
    }
}
