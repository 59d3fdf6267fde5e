package dev.arcana.load;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/** One cached JSON-P provider (Json.createX() looks the provider up on every call). */
final class Jsons {
    static final JsonProvider JSON = JsonProvider.provider();

    private Jsons() {
    }

    static JsonObject parse(CharSequence text) {
        try (JsonReader reader = JSON.createReader(new StringReader(text.toString()))) {
            return reader.readObject();
        }
    }
}
