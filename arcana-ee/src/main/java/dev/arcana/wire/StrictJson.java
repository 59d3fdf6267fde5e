package dev.arcana.wire;

import dev.arcana.api.ArcanaException;
import dev.arcana.engine.diff.JsonSupport;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Reads one JSON text a client sent, strictly: at most {@link #MAX_DEPTH} nested arrays and
 * objects, no duplicate member names, nothing but whitespace after the value. Anything else is a
 * {@code bad_request} naming the rule; nothing else is thrown.
 *
 * <p>Built on the streaming parser with an explicit stack, not on {@code JsonReader}: the reader
 * recurses per level (a 10,000-level body overflowed the stack: a 500 and a logged stack trace),
 * silently keeps the last of duplicate names and ignores whatever follows the first value.
 */
public final class StrictJson {
    /** Deepest nesting of arrays and objects accepted; the protocol's own frames need 4. */
    public static final int MAX_DEPTH = 64;
    private static final JsonProvider JSON = JsonSupport.provider();
    private static final int MAX_ECHO = 64;

    private StrictJson() {
    }

    /**
     * @param text the client's JSON text, not null
     * @param what how messages name the text, e.g. "request body" or "frame"
     */
    public static JsonValue parse(String text, String what) {
        try (JsonParser parser = JSON.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                throw ArcanaException.badRequest(what + " is empty");
            }
            JsonValue value = read(parser, what);
            if (hasMore(parser)) {
                throw ArcanaException.badRequest(what + " has data after the JSON value");
            }
            return value;
        } catch (JsonException | IllegalStateException | NoSuchElementException | ArithmeticException e) {
            throw ArcanaException.badRequest(what + " is not valid JSON");
        }
    }

    private static JsonValue read(JsonParser parser, String what) {
        Deque<Level> open = new ArrayDeque<>();
        while (true) {
            JsonParser.Event event = parser.next();
            JsonValue done;
            switch (event) {
                case START_OBJECT, START_ARRAY -> {
                    if (open.size() >= MAX_DEPTH) {
                        throw ArcanaException.badRequest(what + " nests deeper than " + MAX_DEPTH + " levels");
                    }
                    open.push(event == JsonParser.Event.START_OBJECT ? Level.object() : Level.array());
                    continue;
                }
                case KEY_NAME -> {
                    Level level = open.peek();
                    String key = parser.getString();
                    if (!level.names.add(key)) {
                        throw ArcanaException.badRequest(what + " has the key '" + abbreviate(key) + "' twice");
                    }
                    level.key = key;
                    continue;
                }
                case END_OBJECT -> done = open.pop().object.build();
                case END_ARRAY -> done = open.pop().array.build();
                case VALUE_NUMBER -> done = number(parser, what);
                default -> done = parser.getValue();
            }
            Level parent = open.peek();
            if (parent == null) {
                return done;
            }
            parent.add(done);
        }
    }

    /**
     * Read here so that a number BigDecimal cannot hold (an exponent beyond int) or Parsson will not
     * read (over 1,100 characters) fails now, as a bad request, not later as a 500.
     */
    private static JsonValue number(JsonParser parser, String what) {
        try {
            return JSON.createValue(parser.getBigDecimal());
        } catch (NumberFormatException | UnsupportedOperationException | ArithmeticException e) {
            throw ArcanaException.badRequest(what + " has a number out of range");
        }
    }

    /** Parsson answers true for a second value and throws for other trailing text: both are "more". */
    private static boolean hasMore(JsonParser parser) {
        try {
            return parser.hasNext();
        } catch (JsonException e) {
            return true;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_ECHO ? text : text.substring(0, MAX_ECHO) + "…";
    }

    /** An array or object being built, with the member names seen so far. */
    private static final class Level {
        final JsonObjectBuilder object;
        final JsonArrayBuilder array;
        final Set<String> names = new HashSet<>();
        String key;

        private Level(JsonObjectBuilder object, JsonArrayBuilder array) {
            this.object = object;
            this.array = array;
        }

        static Level object() {
            return new Level(JSON.createObjectBuilder(), null);
        }

        static Level array() {
            return new Level(null, JSON.createArrayBuilder());
        }

        void add(JsonValue value) {
            if (object != null) {
                object.add(key, value);
            } else {
                array.add(value);
            }
        }
    }
}
