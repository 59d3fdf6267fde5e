package dev.arcana.engine.pg;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Builds pgoutput (protocol 1) messages byte by byte, as the PostgreSQL manual describes them. */
final class PgOutputBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PgOutputBytes message(char type) {
        PgOutputBytes bytes = new PgOutputBytes();
        bytes.out.write(type);
        return bytes;
    }

    PgOutputBytes int8(int value) {
        out.write(value);
        return this;
    }

    PgOutputBytes int16(int value) {
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    PgOutputBytes int32(int value) {
        return int16(value >>> 16).int16(value & 0xffff);
    }

    PgOutputBytes int64(long value) {
        return int32((int) (value >>> 32)).int32((int) value);
    }

    PgOutputBytes string(String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return this;
    }

    /** TupleData: each value a text, null ('n') when null, or unchanged TOAST ('u') when "\u0000u". */
    PgOutputBytes tuple(String... values) {
        int16(values.length);
        for (String value : values) {
            if (value == null) {
                out.write('n');
            } else if ("\u0000u".equals(value)) {
                out.write('u');
            } else {
                byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
                out.write('t');
                int32(bytes.length);
                out.writeBytes(bytes);
            }
        }
        return this;
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(out.toByteArray());
    }

    static ByteBuffer begin(int xid) {
        return message('B').int64(0x16B3748L).int64(1_000_000L).int32(xid).buffer();
    }

    static ByteBuffer commit(long endLsn) {
        return message('C').int8(0).int64(endLsn - 8).int64(endLsn).int64(1_000_001L).buffer();
    }

    /** A relation whose first column is the key; columns given as name:typeOid. */
    static ByteBuffer relation(int oid, String namespace, String name, char identity, String... columns) {
        PgOutputBytes bytes = message('R').int32(oid).string(namespace).string(name).int8(identity).int16(columns.length);
        for (int i = 0; i < columns.length; i++) {
            String[] parts = columns[i].split(":");
            bytes.int8(i == 0 ? 1 : 0).string(parts[0]).int32(Integer.parseInt(parts[1])).int32(-1);
        }
        return bytes.buffer();
    }
}
