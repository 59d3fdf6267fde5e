package dev.arcana.api.spi;

import dev.arcana.api.Change;
import java.util.List;

/** Where a change detector hands what it saw. Calls return quickly and never block on factories. */
public interface ChangeSink {

    /** The changes of one committed transaction, in commit order, handled as one batch. */
    void accept(List<Change> transaction);

    /**
     * The detector may have missed changes (a gap: reconnect, overflow): every live query
     * instance is re-run.
     */
    void invalidateAll(String reason);
}
