package dev.arcana.load;

import jakarta.json.JsonObject;

/**
 * One subscription of a load client: the view, its params, and the key under which the fixture
 * knows what the view must show ({@link Fixture.Truth#of}).
 */
record ViewSpec(String view, JsonObject params, String key) {
    static final String LIMIT = "limit:";
    static final String ASSIGNEE = "assignee:";

    /** The workspace's task list, its first {@code limit} tasks. */
    static ViewSpec taskList(int limit) {
        return new ViewSpec("task_list", Jsons.JSON.createObjectBuilder().add("limit", limit).build(), LIMIT + limit);
    }

    /** One person's tasks: a predicate graph ({@code where assignee_id = param}). */
    static ViewSpec tasksOf(String assigneeId) {
        return new ViewSpec("tasks_by_assignee", Jsons.JSON.createObjectBuilder().add("assignee_id", assigneeId).build(),
                ASSIGNEE + assigneeId);
    }
}
