package dev.arcana.ee.rest;

import dev.arcana.wire.WireFormat;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.core.Response;

/** JAX-RS responses carrying the protocol's envelopes as JSON text (no JSON provider involved). */
final class Envelopes {
    static final String JSON_UTF8 = "application/json; charset=utf-8";

    private Envelopes() {
    }

    static Response ok(JsonValue data) {
        return response(200, WireFormat.ok(data));
    }

    /** {@code {"ok":true, ...fields}}: a reply whose fields stand beside {@code ok} (a mutation's outcome). */
    static Response okWith(JsonObject fields) {
        return response(200, WireFormat.okWith(fields));
    }

    static Response response(int status, JsonObject body) {
        return Response.status(status)
                .type(JSON_UTF8)
                .header("Cache-Control", "no-store") // live data: a cached answer is a wrong answer
                .entity(body.toString())
                .build();
    }
}
