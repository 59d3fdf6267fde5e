package dev.arcana.engine.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonPointersTest {

    @Test
    void tildeIsEscapedBeforeSlash() {
        assertThat(JsonPointers.escape("a~/b")).isEqualTo("a~0~1b");
        assertThat(JsonPointers.escape("~1")).isEqualTo("~01");
        assertThat(JsonPointers.escape("/")).isEqualTo("~1");
    }

    @Test
    void plainNamesAreNotCopied() {
        String name = "created_at";
        assertThat(JsonPointers.escape(name)).isSameAs(name);
    }

    @Test
    void fieldPointersStartWithASlash() {
        assertThat(JsonPointers.field("name")).isEqualTo("/name");
        assertThat(JsonPointers.field("")).isEqualTo("/");
        assertThat(JsonPointers.field("a/b")).isEqualTo("/a~1b");
    }

    @Test
    void providerIsLookedUpOnce() {
        assertThat(JsonSupport.provider()).isNotNull().isSameAs(JsonSupport.provider());
    }
}
