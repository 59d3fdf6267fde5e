package dev.arcana.load;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one client holds, built only from the frames it received, the way an SDK would: rows by
 * (table, id) shared by its views, and per subscription the refs and version. Counts frames that
 * arrive twice or out of order (duplicates) and version gaps (lost frames), and credits commit →
 * frame latencies. Called from one WebSocket listener at a time.
 */
final class ClientState {
    /** One subscription: what it asked for, and what the client believes the view is. */
    static final class View {
        final ViewSpec spec;
        JsonArray refs = JsonValue.EMPTY_JSON_ARRAY;
        long version;
        /** The version a sync reply set: pushes up to it that arrive after the reply are stale, not duplicates. */
        long syncedVersion;

        View(ViewSpec spec) {
            this.spec = spec;
        }
    }

    private final CommitLog commits;
    private final LatencyRecorder latencies;
    private final Map<String, JsonObject> rows = new HashMap<>();
    private final Map<String, Long> rowVersions = new HashMap<>();
    private final Map<String, Integer> creditCursor = new HashMap<>();
    private final Map<String, View> views = new HashMap<>();
    private final Map<String, ViewSpec> pending = new HashMap<>();
    private int duplicates;
    private int gaps;
    private int resyncs;
    private int syncErrors;
    /** Between a dropped connection and the sync reply: pushes are skipped, the reply supersedes them. */
    private boolean awaitingSync;

    ClientState(CommitLog commits, LatencyRecorder latencies) {
        this.commits = commits;
        this.latencies = latencies;
    }

    synchronized void expect(String requestId, ViewSpec spec) {
        pending.put(requestId, spec);
    }

    synchronized void applySnapshot(String requestId, JsonObject reply, long receivedNanos) {
        View view = views.computeIfAbsent(reply.getString("params_hash"),
                hash -> new View(pending.remove(requestId)));
        view.refs = reply.getJsonArray("refs");
        view.version = reply.getJsonNumber("version").longValue();
        mergeTables(reply.getJsonObject("tables"), receivedNanos);
    }

    synchronized void applyPush(JsonObject push, long receivedNanos) {
        String type = push.getString("type", "");
        JsonObject data = push.getJsonObject("data");
        switch (type) {
            case "table_diff" -> applyTableDiff(data, receivedNanos);
            case "view_diff" -> applyViewDiff(data, receivedNanos);
            case "resync" -> resyncs++;
            default -> {
                // disconnect and future push types carry no state of this client
            }
        }
    }

    /** The connection was dropped: until {@link #applySync}, pushes are not applied (nor counted as gaps). */
    synchronized void dropped() {
        awaitingSync = true;
    }

    private void applyTableDiff(JsonObject data, long receivedNanos) {
        if (awaitingSync) {
            return; // the sync reply carries every row the views reference
        }
        String key = data.getString("table") + '/' + data.getString("id");
        long ver = data.getJsonNumber("ver").longValue();
        Long previous = rowVersions.get(key);
        if (previous != null && ver <= previous) {
            duplicates++;
            return;
        }
        if (previous != null && ver > previous + 1) {
            gaps++;
        }
        rowVersions.put(key, ver);
        if (data.getBoolean("deleted", false)) {
            rows.remove(key);
            return;
        }
        JsonObject row = rows.get(key);
        if (row == null) {
            return; // a row of the workspace that none of this client's views references
        }
        JsonObject patched = Jsons.JSON.createPatch(data.getJsonArray("patch")).apply(row);
        rows.put(key, patched);
        credit(data.getString("id"), patched, receivedNanos);
    }

    private void applyViewDiff(JsonObject data, long receivedNanos) {
        if (awaitingSync) {
            return; // a push after a gap of the outage; the sync reply brings the view up to date
        }
        View view = views.get(data.getString("params_hash"));
        if (view == null) {
            return;
        }
        long version = data.getJsonNumber("version").longValue();
        if (version <= view.version) {
            if (version > view.syncedVersion) {
                duplicates++; // PROTOCOL.md: only a push that raced a sync reply may be stale
            }
            return;
        }
        if (version > view.version + 1) {
            gaps++;
        }
        view.version = version;
        JsonStructure refs = Jsons.JSON.createPatch(data.getJsonArray("refs_patch")).apply(view.refs);
        view.refs = refs.asJsonArray();
        mergeTables(data.getJsonObject("tables"), receivedNanos);
    }

    /** The {@code sync} frame a reconnecting client sends: every view with its version and params. */
    synchronized JsonObject syncRequest(String requestId) {
        jakarta.json.JsonArrayBuilder list = Jsons.JSON.createArrayBuilder();
        views.forEach((hash, view) -> list.add(Jsons.JSON.createObjectBuilder().add("view", view.spec.view())
                .add("params_hash", hash).add("version", view.version).add("params", view.spec.params())));
        return Jsons.JSON.createObjectBuilder().add("id", requestId).add("type", "sync").add("views", list).build();
    }

    /**
     * Applies a {@code sync_result}: a catch-up's patches in order, or a snapshot's refs, then the rows
     * the entry carries (every row the view references). The row versions seen before are forgotten:
     * the pushes missed while away moved them on, so the next push of a row is its new baseline.
     */
    synchronized void applySync(JsonObject reply, long receivedNanos) {
        awaitingSync = false;
        for (JsonValue value : reply.getJsonArray("views")) {
            JsonObject entry = value.asJsonObject();
            View view = views.get(entry.getString("params_hash", ""));
            String mode = entry.getString("mode", "");
            if (view == null || mode.equals("error")) {
                syncErrors++;
                continue;
            }
            if (mode.equals("snapshot")) {
                view.refs = entry.getJsonArray("refs");
            } else {
                for (JsonValue patch : entry.getJsonArray("patches")) {
                    view.refs = Jsons.JSON.createPatch(patch.asJsonObject().getJsonArray("refs_patch"))
                            .apply(view.refs).asJsonArray();
                }
            }
            view.version = entry.getJsonNumber("version").longValue();
            view.syncedVersion = view.version;
            JsonObject tables = entry.getJsonObject("tables");
            if (tables != null) {
                tables.forEach((table, rowsOfTable) -> rowsOfTable.asJsonObject().keySet()
                        .forEach(id -> rowVersions.remove(table + '/' + id)));
            }
            mergeTables(tables, receivedNanos);
        }
    }

    /** Sync entries that came back as errors or for views this client does not hold. */
    synchronized int syncErrors() {
        return syncErrors;
    }

    private void mergeTables(JsonObject tables, long receivedNanos) {
        if (tables == null) {
            return;
        }
        for (Map.Entry<String, JsonValue> table : tables.entrySet()) {
            for (Map.Entry<String, JsonValue> row : table.getValue().asJsonObject().entrySet()) {
                JsonObject data = row.getValue().asJsonObject();
                rows.put(table.getKey() + '/' + row.getKey(), data);
                credit(row.getKey(), data, receivedNanos);
            }
        }
    }

    private void credit(String rowId, JsonObject row, long receivedNanos) {
        long seq = CommitLog.seqOf(row.getString("title", null));
        if (seq < 0) {
            return;
        }
        CommitLog.RowCommits log = commits.of(rowId);
        if (log != null) {
            creditCursor.put(rowId, log.credit(creditCursor.getOrDefault(rowId, 0), seq, receivedNanos, latencies));
        }
    }

    /** Commits of the given rows this client was never credited with (0 once it caught up). */
    synchronized long uncredited(List<String> rowIds) {
        long missing = 0;
        for (String rowId : rowIds) {
            CommitLog.RowCommits log = commits.of(rowId);
            if (log != null) {
                missing += log.size() - creditCursor.getOrDefault(rowId, 0);
            }
        }
        return missing;
    }

    /**
     * Differences between this client's views and the truth (view key → rows in view order, from a
     * fresh query); empty when every view and every row it references match.
     */
    synchronized List<String> differences(java.util.function.Function<String, List<TaskRow>> truth) {
        List<String> problems = new ArrayList<>();
        for (View view : views.values()) {
            List<TaskRow> expected = truth.apply(view.spec.key());
            List<String> ids = new ArrayList<>();
            for (JsonValue ref : view.refs) {
                ids.add(ref.asJsonObject().getString("id"));
            }
            List<String> expectedIds = expected.stream().map(TaskRow::id).toList();
            if (!ids.equals(expectedIds)) {
                problems.add("view " + view.spec.key() + ": refs " + ids + " != " + expectedIds);
                continue;
            }
            for (TaskRow row : expected) {
                JsonObject held = rows.get("tasks/" + row.id());
                if (held == null || !row.matches(held)) {
                    problems.add("row " + row.id() + ": " + held + " != " + row);
                }
            }
        }
        return problems;
    }

    /** The title of a held task row, or null when this client holds no such row. */
    synchronized String title(String rowId) {
        JsonObject held = rows.get("tasks/" + rowId);
        return held == null ? null : held.getString("title", null);
    }

    /**
     * Whether every held task row already shows the given titles (row id → title); rows this
     * client's views do not show are not its to wait for ({@link #differences} checks those).
     */
    synchronized boolean shows(Map<String, String> titles) {
        for (Map.Entry<String, String> title : titles.entrySet()) {
            JsonObject held = rows.get("tasks/" + title.getKey());
            if (held != null && !Objects.equals(held.getString("title", null), title.getValue())) {
                return false;
            }
        }
        return true;
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int gaps() {
        return gaps;
    }

    synchronized int resyncs() {
        return resyncs;
    }

    /** The {@link ViewSpec#key}s of the views this client holds. */
    synchronized List<String> viewKeys() {
        return views.values().stream().map(view -> view.spec.key()).toList();
    }

    synchronized int views() {
        return views.size();
    }
}
