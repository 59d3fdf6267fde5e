package dev.arcana.ee;

import java.util.List;

/**
 * The {@code arcana.*} configuration holds invalid values. One exception lists them all, so that a
 * bad deployment is fixed in one round instead of one key per restart.
 */
public class InvalidSettingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("ARCANA-CONFIG: invalid configuration (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per bad key, e.g. {@code arcana.debounce-ms='abc' is not an integer}. */
    public List<String> problems() {
        return problems;
    }
}
