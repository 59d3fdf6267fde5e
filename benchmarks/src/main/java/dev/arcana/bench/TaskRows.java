package dev.arcana.bench;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

/** Rows shaped like the example's tasks, for the store and diff benchmarks. */
public final class TaskRows {
    private TaskRows() {
    }

    public static String id(int i) {
        return String.format("aaaaaaaa-0000-4000-8000-%012d", i);
    }

    public static JsonObject row(JsonProvider json, int i, String title) {
        return json.createObjectBuilder().add("id", id(i)).add("title", title).add("done", i % 3 == 0)
                .add("assignee_id", "aaaaaaaa-0000-4000-8000-000000000001").add("position", i).build();
    }
}
