package dev.arcana.centrifugo;

import jakarta.json.JsonObject;

/**
 * The end of one API request, after any retries.
 *
 * @param kind   {@code OK}: HTTP 200 with a JSON object (which may still carry Centrifugo errors);
 *               {@code TRANSIENT}: network errors, timeouts or 5xx until the retries ran out;
 *               {@code REJECTED}: a 4xx or an unreadable 200, not retried (a retry cannot fix it)
 * @param body   the JSON reply when {@code OK}
 * @param detail what went wrong otherwise, for the log
 */
record ApiReply(Kind kind, JsonObject body, String detail) {
    enum Kind { OK, TRANSIENT, REJECTED }

    static ApiReply ok(JsonObject body) {
        return new ApiReply(Kind.OK, body, null);
    }

    static ApiReply transientFailure(String detail) {
        return new ApiReply(Kind.TRANSIENT, null, detail);
    }

    static ApiReply rejected(String detail) {
        return new ApiReply(Kind.REJECTED, null, detail);
    }

    boolean isOk() {
        return kind == Kind.OK;
    }
}
