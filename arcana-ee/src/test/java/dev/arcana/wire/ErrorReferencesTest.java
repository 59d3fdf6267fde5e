package dev.arcana.wire;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arcana.api.ArcanaException;
import dev.arcana.api.ErrorCode;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class ErrorReferencesTest {

    @Test
    void aReferencedErrorKeepsItsCodeAndSafeMessageButNotItsCause() {
        ArcanaException internal = ArcanaException.internal("mutation 'add_task' failed",
                new SQLException("ERROR: duplicate key value violates unique constraint \"tasks_pkey\"", "23505"));

        ArcanaException referenced = ErrorReferences.referenced(internal, "1f3a");

        assertThat(referenced.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(referenced.getMessage()).isEqualTo("mutation 'add_task' failed (ref 1f3a)");
        assertThat(referenced.getCause()).isNull();
        assertThat(WireFormat.error(referenced).toString()).doesNotContain("duplicate key").doesNotContain("23505");
    }

    @Test
    void referencesAreShortHexAndDiffer() {
        String first = ErrorReferences.next();
        String second = ErrorReferences.next();

        assertThat(first).matches("[0-9a-f]{1,12}");
        assertThat(first).isNotEqualTo(second);
    }
}
