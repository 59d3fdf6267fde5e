package dev.arcana.api.spi;

import dev.arcana.api.Change;
import java.util.List;

/** Where a change detector hands what it saw. Calls return quickly and never block on factories. */
public interface ChangeSink {

    /** The changes of one committed transaction, in commit order, handled as one batch. */
    void accept(List<Change> transaction);

    /**
     * The changes of one committed transaction with its PostgreSQL transaction id (the 32-bit
     * {@code xid}, unsigned), so that the engine can recognise a transaction whose changes it applied
     * at commit already (a mutation's) and not re-run what they covered.
     */
    default void accept(long xid, List<Change> transaction) {
        accept(transaction);
    }

    /**
     * The detector may have missed changes (a gap: reconnect, overflow): every live query
     * instance is re-run.
     */
    void invalidateAll(String reason);
}
