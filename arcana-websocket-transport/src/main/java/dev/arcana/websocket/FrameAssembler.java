package dev.arcana.websocket;

/**
 * Joins the parts of one text message (containers deliver large messages in pieces) while
 * enforcing the frame size limit: past the limit further parts are counted but not kept, so
 * memory stays bounded by {@code maxBytes} however large the client's message is. Not
 * thread-safe: the container delivers one session's messages one at a time.
 */
final class FrameAssembler {

    /** A complete message: its text, or only the fact that it was too large. */
    record Frame(String text, boolean tooLarge) {
    }

    private final int maxBytes;
    private StringBuilder buffer;
    private long bytes;
    private boolean overflowed;

    FrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Accepts one part; answers the frame on the last part, null before. */
    Frame accept(String part, boolean last) {
        String text = part == null ? "" : part;
        if (buffer == null && !overflowed && last) {
            // the common case: the whole message in one part
            return utf8Length(text) > maxBytes ? new Frame(null, true) : new Frame(text, false);
        }
        bytes += utf8Length(text);
        if (bytes > maxBytes) {
            overflowed = true;
            buffer = null;
        } else {
            if (buffer == null) {
                buffer = new StringBuilder(Math.min(maxBytes, Math.max(16, text.length() * 2)));
            }
            buffer.append(text);
        }
        if (!last) {
            return null;
        }
        Frame frame = overflowed ? new Frame(null, true) : new Frame(buffer.toString(), false);
        buffer = null;
        bytes = 0;
        overflowed = false;
        return frame;
    }

    /** UTF-8 length of {@code text} without encoding it (a surrogate pair counts 2 + 2 = 4). */
    static long utf8Length(CharSequence text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                length += 2;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
