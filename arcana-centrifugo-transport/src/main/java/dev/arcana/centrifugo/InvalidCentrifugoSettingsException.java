package dev.arcana.centrifugo;

import java.util.List;

/**
 * The {@code arcana.centrifugo.*} configuration holds invalid or missing values. One exception
 * lists them all, so that a bad deployment is fixed in one round.
 */
public class InvalidCentrifugoSettingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidCentrifugoSettingsException(List<String> problems) {
        super("ARCANA-CENTRIFUGO: invalid configuration (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per bad key, e.g. {@code arcana.centrifugo.url is required}. */
    public List<String> problems() {
        return problems;
    }
}
