package dev.arcana.engine;

import dev.arcana.api.Graph;
import dev.arcana.api.Identity;
import dev.arcana.api.Sharing;
import java.util.TreeSet;

/**
 * Identifies a query instance: subscribers with equal keys share one factory run per change.
 * The sharing key holds the identity parts a graph may read (see {@link Sharing}).
 */
public record InstanceKey(String workspaceId, String graphKey, String paramsHash, String sharingKey) {

    static InstanceKey of(Graph graph, String paramsHash, Identity identity) {
        String sharing = graph.sharing() == Sharing.WORKSPACE ? ""
                : identity.userId() + '\u0000' + identity.role() + '\u0000'
                        + String.join(",", new TreeSet<>(identity.permissions()));
        return new InstanceKey(identity.workspaceId(), graph.key(), paramsHash, sharing);
    }

    /** This key narrowed to one seance: nobody else shares the instance (the naive strategy). */
    InstanceKey unsharedFor(String seanceId) {
        return new InstanceKey(workspaceId, graphKey, paramsHash, sharingKey + '\u0000' + seanceId);
    }
}
