package dev.arcana.websocket;

import java.util.List;

/**
 * The {@code arcana.ws.*} configuration (or {@code arcana.mount}) holds invalid values. One
 * exception lists them all, so that a bad deployment is fixed in one round.
 */
public class InvalidWebSocketSettingsException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidWebSocketSettingsException(List<String> problems) {
        super("ARCANA-WS: invalid configuration (" + problems.size()
                + (problems.size() == 1 ? " problem): " : " problems): ") + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One entry per bad key, e.g. {@code arcana.ws.queue-limit='abc' is not an integer}. */
    public List<String> problems() {
        return problems;
    }
}
