package dev.arcana.ee.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
    private static final int LIMIT = 1024;

    @Test
    void aBodyWithinTheLimitIsReadAsUtf8() {
        String json = "{\"view\":\"t\u00e2ches\",\"params\":{\"q\":\"\u65e5\u672c\"}}";

        assertThat(RequestBodies.readUtf8(utf8(json), null, LIMIT)).isEqualTo(json);
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        String body = "x".repeat(LIMIT);

        assertThat(RequestBodies.readUtf8(utf8(body), Integer.toString(LIMIT), LIMIT)).hasSize(LIMIT);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeReading() {
        CountingStream body = new CountingStream(Long.MAX_VALUE);

        assertTooLarge(() -> RequestBodies.readUtf8(body, "1025", LIMIT));
        assertThat(body.read).isZero();
    }

    @Test
    void anUndeclaredBodyOverTheLimitIsRefusedAfterAtMostOneByteMore() {
        // a chunked body declares no length: reading stops as soon as the limit is passed
        CountingStream body = new CountingStream(Long.MAX_VALUE);

        assertTooLarge(() -> RequestBodies.readUtf8(body, null, LIMIT));
        assertThat(body.read).isEqualTo(LIMIT + 1);
    }

    @Test
    void aBodyLongerThanItsDeclaredLengthIsStillCapped() {
        CountingStream body = new CountingStream(10 * LIMIT);

        assertTooLarge(() -> RequestBodies.readUtf8(body, "12", LIMIT));
        assertThat(body.read).isEqualTo(LIMIT + 1);
    }

    @Test
    void anUnparsableContentLengthIsLeftToTheRead() {
        assertThat(RequestBodies.readUtf8(utf8("{}"), "twelve", LIMIT)).isEqualTo("{}");
    }

    @Test
    void invalidUtf8IsABadRequest() {
        InputStream body = new ByteArrayInputStream(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});

        assertThatThrownBy(() -> RequestBodies.readUtf8(body, null, LIMIT))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessage("request body is not valid UTF-8");
    }

    @Test
    void anUnreadableBodyIsABadRequest() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> RequestBodies.readUtf8(broken, null, LIMIT))
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
                .hasMessage("request body could not be read");
    }

    @Test
    void noBodyReadsAsEmpty() {
        assertThat(RequestBodies.readUtf8(null, null, LIMIT)).isEmpty();
    }

    private static void assertTooLarge(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(ArcanaException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOO_LARGE))
                .hasMessage("request body exceeds 1024 bytes");
    }

    private static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves {@code size} bytes of 'x' and counts what was read. */
    static final class CountingStream extends InputStream {
        private final long size;
        long read;

        CountingStream(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (read >= size) {
                return -1;
            }
            read++;
            return 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (read >= size) {
                return -1;
            }
            int n = (int) Math.min(length, size - read);
            java.util.Arrays.fill(buffer, offset, offset + n, (byte) 'x');
            read += n;
            return n;
        }
    }
}
