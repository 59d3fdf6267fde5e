package dev.arcana.engine;

import dev.arcana.api.EngineStats;
import dev.arcana.api.spi.DetectorStatus;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * What DevTools shows of a running engine, for the workspaces the caller may see: a point-in-time
 * copy, holding no references into the engine. Engine-wide figures (stats, hops, detector) hold
 * no tenant data; everything per workspace is filtered before it gets here.
 */
public record Introspection(EngineStats stats, DetectorStatus detector, Map<String, LatencyHistogram.Snapshot> hops,
                            List<Instance> instances, List<SeanceInfo> seances, List<TableRows> rows,
                            List<ChangeLog.EntryView> recentChanges, boolean changeLogOn) {

    /** A live query instance. {@code lastRunMs} -1: it has not run yet. */
    public record Instance(String workspace, String graph, String paramsHash, Map<String, Object> params,
                           int subscribers, long runs, double lastRunMs, String lastError, RunState state) {
    }

    /** A client session; its id shown masked. */
    public record SeanceInfo(String maskedId, String workspace, String user, int subscriptions, long idleMs) {
    }

    /** The rows of one table in one workspace's store: the count and the first rows (sorted by id). */
    public record TableRows(String workspace, String table, int count, List<JsonObject> firstRows) {
    }

    /** A seance id as DevTools shows it: enough to tell sessions apart, never enough to use one. */
    public static String mask(String seanceId) {
        return seanceId.length() < 16 ? "…" : seanceId.substring(0, 4) + "…";
    }
}
