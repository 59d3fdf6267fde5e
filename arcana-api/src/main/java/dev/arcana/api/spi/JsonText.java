package dev.arcana.api.spi;

import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import java.io.Writer;
import java.util.Map;

/**
 * Renders JSON values as frame text. {@code JsonValue.toString()} writes into a {@code StringWriter} that starts at 16
 * characters and doubles, copying its content at every step; with sync replies of whole views that copying was a
 * twentieth of a reconnect storm's CPU. This writes into a buffer each thread keeps (bounded), so a frame's text is
 * copied once, into its {@code String}.
 */
public final class JsonText {
    private static final JsonGeneratorFactory GENERATORS = JsonProvider.provider().createGeneratorFactory(Map.of());
    /** A buffer grown past this by one large frame is not kept for the thread's next ones (every thread keeps one). */
    static final int MAX_KEPT_CHARS = 64 * 1024;
    private static final ThreadLocal<StringBuilder> BUFFERS = ThreadLocal.withInitial(() -> new StringBuilder(4096));

    private JsonText() {
    }

    /** The value's JSON text, as {@code value.toString()} renders it. */
    public static String render(JsonValue value) {
        return render("", value, "");
    }

    /** {@code prefix + value's JSON text + suffix}: a value inside a frame written around it. */
    public static String render(String prefix, JsonValue value, String suffix) {
        StringBuilder buffer = BUFFERS.get();
        buffer.setLength(0);
        buffer.append(prefix);
        try (JsonGenerator generator = GENERATORS.createGenerator(new BufferWriter(buffer))) {
            generator.write(value);
        }
        String text = buffer.append(suffix).toString();
        if (buffer.capacity() > MAX_KEPT_CHARS) {
            BUFFERS.remove();
        } else {
            buffer.setLength(0);
        }
        return text;
    }

    /** A writer appending to a builder, without the locking of {@code StringWriter}'s {@code StringBuffer}. */
    private static final class BufferWriter extends Writer {
        private final StringBuilder buffer;

        BufferWriter(StringBuilder buffer) {
            this.buffer = buffer;
        }

        @Override
        public void write(char[] chars, int offset, int length) {
            buffer.append(chars, offset, length);
        }

        @Override
        public void write(String text, int offset, int length) {
            buffer.append(text, offset, offset + length);
        }

        @Override
        public void write(int c) {
            buffer.append((char) c);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }
}
