package dev.arcana.engine.pg;

import java.util.List;

/**
 * The messages of PostgreSQL's {@code pgoutput} logical decoding plugin (protocol version 1) that
 * change detection needs; see "Logical Replication Message Formats" in the PostgreSQL manual.
 * LSNs are raw 64-bit positions.
 */
public sealed interface PgOutputMessage {

    /** {@code B}: a transaction starts; {@code finalLsn} is where it will commit. */
    record Begin(long finalLsn, long commitTimeMicros, int xid) implements PgOutputMessage {
    }

    /** {@code C}: the transaction committed; {@code endLsn} is the position to acknowledge once handled. */
    record Commit(long commitLsn, long endLsn, long commitTimeMicros) implements PgOutputMessage {
    }

    /** {@code R}: the layout of a relation, sent before its first change in a session (and after DDL). */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<Column> columns)
            implements PgOutputMessage {
    }

    /** A relation column; {@code key} when it is part of the replica identity. */
    record Column(String name, int typeOid, int typeModifier, boolean key) {
    }

    /** {@code I}: a new row. */
    record Insert(int relationOid, Tuple newTuple) implements PgOutputMessage {
    }

    /**
     * {@code U}: an updated row. {@code oldKind} is {@code 'O'} (the whole old row, REPLICA IDENTITY
     * FULL), {@code 'K'} (the old key, when the key changed) or {@code 0} (no old values sent).
     */
    record Update(int relationOid, char oldKind, Tuple oldTuple, Tuple newTuple) implements PgOutputMessage {
    }

    /** {@code D}: a deleted row; {@code oldKind} {@code 'K'} (key columns only) or {@code 'O'} (whole row). */
    record Delete(int relationOid, char oldKind, Tuple oldTuple) implements PgOutputMessage {
    }

    /** {@code T}: relations truncated together. */
    record Truncate(List<Integer> relationOids, int options) implements PgOutputMessage {
    }

    /** Any other message (origin, type, logical message): not needed to detect changes. */
    record Other(char type) implements PgOutputMessage {
    }

    /**
     * Column values in relation column order: {@code 'n'} null, {@code 'u'} unchanged TOASTed value
     * (not sent), {@code 't'} text; {@code texts} holds the text or null.
     */
    record Tuple(byte[] kinds, String[] texts) {

        public int size() {
            return kinds.length;
        }

        public char kind(int column) {
            return (char) kinds[column];
        }

        public String text(int column) {
            return texts[column];
        }
    }
}
