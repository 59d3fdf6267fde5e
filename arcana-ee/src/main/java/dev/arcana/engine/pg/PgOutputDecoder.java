package dev.arcana.engine.pg;

import dev.arcana.engine.pg.PgOutputMessage.Begin;
import dev.arcana.engine.pg.PgOutputMessage.Column;
import dev.arcana.engine.pg.PgOutputMessage.Commit;
import dev.arcana.engine.pg.PgOutputMessage.Delete;
import dev.arcana.engine.pg.PgOutputMessage.Insert;
import dev.arcana.engine.pg.PgOutputMessage.Other;
import dev.arcana.engine.pg.PgOutputMessage.Relation;
import dev.arcana.engine.pg.PgOutputMessage.Truncate;
import dev.arcana.engine.pg.PgOutputMessage.Tuple;
import dev.arcana.engine.pg.PgOutputMessage.Update;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one {@code pgoutput} (protocol version 1) message from the payload of an XLogData
 * message, as pgjdbc's replication stream returns it. Big-endian integers, NUL-terminated UTF-8
 * strings. Malformed input fails with {@link IllegalArgumentException} naming the message type.
 */
public final class PgOutputDecoder {

    private PgOutputDecoder() {
    }

    public static PgOutputMessage decode(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            throw new IllegalArgumentException("empty pgoutput message");
        }
        char type = (char) buffer.get();
        try {
            PgOutputMessage message = switch (type) {
                case 'B' -> new Begin(buffer.getLong(), buffer.getLong(), buffer.getInt());
                case 'C' -> {
                    buffer.get(); // flags, unused
                    yield new Commit(buffer.getLong(), buffer.getLong(), buffer.getLong());
                }
                case 'R' -> relation(buffer);
                case 'I' -> {
                    int relation = buffer.getInt();
                    expect(buffer, 'N', type);
                    yield new Insert(relation, tuple(buffer));
                }
                case 'U' -> update(buffer);
                case 'D' -> {
                    int relation = buffer.getInt();
                    char kind = (char) buffer.get();
                    if (kind != 'K' && kind != 'O') {
                        throw new IllegalArgumentException("pgoutput delete: unexpected tuple kind '" + kind + "'");
                    }
                    yield new Delete(relation, kind, tuple(buffer));
                }
                case 'T' -> {
                    int count = buffer.getInt();
                    int options = buffer.get();
                    List<Integer> relations = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        relations.add(buffer.getInt());
                    }
                    yield new Truncate(List.copyOf(relations), options);
                }
                default -> new Other(type);
            };
            return message;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("pgoutput message '" + type + "' is truncated", e);
        }
    }

    private static Relation relation(ByteBuffer buffer) {
        int oid = buffer.getInt();
        String namespace = string(buffer);
        String name = string(buffer);
        char identity = (char) buffer.get();
        int count = Short.toUnsignedInt(buffer.getShort());
        List<Column> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean key = (buffer.get() & 1) != 0;
            columns.add(new Column(string(buffer), buffer.getInt(), buffer.getInt(), key));
        }
        return new Relation(oid, namespace, name, identity, List.copyOf(columns));
    }

    private static Update update(ByteBuffer buffer) {
        int relation = buffer.getInt();
        char kind = (char) buffer.get();
        Tuple old = null;
        char oldKind = 0;
        if (kind == 'K' || kind == 'O') {
            oldKind = kind;
            old = tuple(buffer);
            kind = (char) buffer.get();
        }
        if (kind != 'N') {
            throw new IllegalArgumentException("pgoutput update: expected 'N', got '" + kind + "'");
        }
        return new Update(relation, oldKind, old, tuple(buffer));
    }

    private static Tuple tuple(ByteBuffer buffer) {
        int count = Short.toUnsignedInt(buffer.getShort());
        byte[] kinds = new byte[count];
        String[] texts = new String[count];
        for (int i = 0; i < count; i++) {
            byte kind = buffer.get();
            kinds[i] = kind;
            switch (kind) {
                case 'n', 'u' -> {
                }
                case 't' -> {
                    int length = buffer.getInt();
                    if (length < 0 || length > buffer.remaining()) {
                        throw new IllegalArgumentException("pgoutput column value of " + length + " bytes with "
                                + buffer.remaining() + " left");
                    }
                    texts[i] = utf8(buffer, buffer.position(), length);
                    buffer.position(buffer.position() + length);
                }
                default -> throw new IllegalArgumentException("pgoutput column kind '" + (char) kind
                        + "' (binary values need protocol version 2 with binary, which is not requested)");
            }
        }
        return new Tuple(kinds, texts);
    }

    private static void expect(ByteBuffer buffer, char wanted, char type) {
        char got = (char) buffer.get();
        if (got != wanted) {
            throw new IllegalArgumentException("pgoutput '" + type + "': expected '" + wanted + "', got '" + got + "'");
        }
    }

    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        String value = utf8(buffer, start, end - start);
        buffer.position(end + 1);
        return value;
    }

    private static String utf8(ByteBuffer buffer, int start, int length) {
        if (buffer.hasArray()) {
            return new String(buffer.array(), buffer.arrayOffset() + start, length, StandardCharsets.UTF_8);
        }
        byte[] bytes = new byte[length];
        buffer.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
