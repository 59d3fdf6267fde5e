package dev.arcana.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrameAssemblerTest {

    @Test
    void aWholeMessageIsOneFrame() {
        FrameAssembler assembler = new FrameAssembler(16);

        assertThat(assembler.accept("{\"id\":\"1\"}", true)).isEqualTo(new FrameAssembler.Frame("{\"id\":\"1\"}", false));
    }

    @Test
    void partsAreJoinedOnTheLastOne() {
        FrameAssembler assembler = new FrameAssembler(64);

        assertThat(assembler.accept("{\"id\":", false)).isNull();
        assertThat(assembler.accept("\"1\",", false)).isNull();
        assertThat(assembler.accept("\"type\":\"ping\"}", true))
                .isEqualTo(new FrameAssembler.Frame("{\"id\":\"1\",\"type\":\"ping\"}", false));
        assertThat(assembler.accept("next", true)).isEqualTo(new FrameAssembler.Frame("next", false));
    }

    @Test
    void aMessageOverTheLimitIsTooLarge() {
        FrameAssembler assembler = new FrameAssembler(8);

        assertThat(assembler.accept("12345678", true)).isEqualTo(new FrameAssembler.Frame("12345678", false));
        assertThat(assembler.accept("123456789", true)).isEqualTo(new FrameAssembler.Frame(null, true));
    }

    @Test
    void theLimitCountsUtf8BytesNotChars() {
        FrameAssembler assembler = new FrameAssembler(8);

        assertThat(assembler.accept("ééé", true).tooLarge()).isFalse(); // 6 bytes
        assertThat(assembler.accept("éééé€", true).tooLarge()).isTrue(); // 8 + 3 bytes
        String mixed = "aé€😀";
        assertThat(FrameAssembler.utf8Length(mixed)).isEqualTo(mixed.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void aLargeMultiPartMessageIsDroppedAsItArrivesAndTheNextFrameIsClean() {
        FrameAssembler assembler = new FrameAssembler(1024);
        String chunk = "x".repeat(1000);

        for (int i = 0; i < 1_000; i++) { // ~1 MB sent in parts: never buffered
            assertThat(assembler.accept(chunk, false)).isNull();
        }
        assertThat(assembler.accept(chunk, true)).isEqualTo(new FrameAssembler.Frame(null, true));
        assertThat(assembler.accept("ok", false)).isNull();
        assertThat(assembler.accept("!", true)).isEqualTo(new FrameAssembler.Frame("ok!", false));
    }
}
