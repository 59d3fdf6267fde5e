package dev.arcana.api;

import java.util.Objects;

/**
 * A graph's promise about a table it reads: every row of the table that an instance of the graph
 * shows has {@code column} equal to {@code source}'s value for that instance (one of its params, its
 * workspace or its user). With it the engine re-runs, for a change of such a row, only the instances
 * whose value equals the row's new value of {@code column}, plus the instances that hold the row now
 * (they may lose it) — instead of every instance of the graph. A change that does not carry the
 * column's new value (unknown columns, a table-wide change, a detector gap) still re-runs every
 * instance. A wrong promise is the application's bug: an instance whose query returns a row that does
 * not match would miss that row's later changes until something else re-runs it.
 *
 * <p>Values compare as text, the way PostgreSQL prints them ({@code column::text}): use it for
 * text, uuid, integer and boolean columns and params (not floating point).
 */
public record ColumnMatch(String column, Source source) {

    public ColumnMatch {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(source, "source");
    }

    /** Where an instance's value comes from. */
    public sealed interface Source permits ParamValue, WorkspaceValue, UserValue {
    }

    /** The instance's value of param {@code name}. */
    public record ParamValue(String name) implements Source {
        public ParamValue {
            Objects.requireNonNull(name, "name");
        }
    }

    /** The instance's workspace id. */
    public record WorkspaceValue() implements Source {
    }

    /** The id of the user the instance runs for (graphs shared per user). */
    public record UserValue() implements Source {
    }

    public static Source param(String name) {
        return new ParamValue(name);
    }

    public static Source workspace() {
        return new WorkspaceValue();
    }

    public static Source user() {
        return new UserValue();
    }
}
