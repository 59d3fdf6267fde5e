package dev.arcana.ee.rest;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a request body as UTF-8 text under a hard byte limit: refused from its declared
 * Content-Length before reading, and again while reading (chunked bodies declare none), so that a
 * client never makes the server buffer more than the limit.
 */
public final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * @param contentLength the Content-Length header, or null
     * @throws ArcanaException {@code too_large} (413) over {@code maxBytes}; {@code bad_request} when
     *                         the body is not UTF-8 or cannot be read
     */
    public static String readUtf8(InputStream body, String contentLength, int maxBytes) {
        rejectDeclaredLength(contentLength, maxBytes);
        if (body == null) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.min(maxBytes, 8192));
        byte[] buffer = new byte[8192];
        try {
            int read;
            while ((read = body.read(buffer, 0, (int) Math.min(buffer.length, maxBytes + 1L - bytes.size()))) > 0) {
                bytes.write(buffer, 0, read);
                if (bytes.size() > maxBytes) {
                    throw tooLarge(maxBytes);
                }
            }
        } catch (IOException e) {
            throw new ArcanaException(ErrorCode.BAD_REQUEST, "request body could not be read", e);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ArcanaException(ErrorCode.BAD_REQUEST, "request body is not valid UTF-8", e);
        }
    }

    /** Refuses a body whose declared length is over the limit; an absent or unparsable header is left to the read. */
    static void rejectDeclaredLength(String contentLength, int maxBytes) {
        if (contentLength == null || contentLength.isBlank()) {
            return;
        }
        long declared;
        try {
            declared = Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return; // the container validates the header; the read below still enforces the limit
        }
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
    }

    private static ArcanaException tooLarge(int maxBytes) {
        return new ArcanaException(ErrorCode.TOO_LARGE, "request body exceeds " + maxBytes + " bytes");
    }
}
