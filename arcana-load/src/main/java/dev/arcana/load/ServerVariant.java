package dev.arcana.load;

import java.util.Locale;
import java.util.Map;

/**
 * One entry of {@code --strategies}: how the driver starts the server for a run, as environment
 * variables (MicroProfile Config reads {@code ARCANA_STRATEGY} for {@code arcana.strategy} and
 * {@code EXAMPLE_MUTATION_DECLARE_CHANGES} for {@code example.mutation.declare-changes}).
 * <ul>
 * <li>{@code shared}, {@code naive}, {@code unindexed}: the engine's query-instance strategy (the
 * example's mutations declare their changes, the default; unindexed: shared, ignoring graphs'
 * {@code where} promises);</li>
 * <li>{@code fast-path}: shared, mutations declare their changes, so views re-run at commit;</li>
 * <li>{@code detector-path}: shared, mutations declare nothing, so views re-run only when the
 * change detector reports the transaction (and the mutation's reply waits for that).</li>
 * </ul>
 *
 * @param label    the name in reports
 * @param strategy the value of {@code arcana.strategy}
 * @param env      further environment variables of the server
 */
record ServerVariant(String label, String strategy, Map<String, String> env) {
    static final String DECLARE_CHANGES = "EXAMPLE_MUTATION_DECLARE_CHANGES";

    static ServerVariant parse(String entry) {
        String name = entry.trim().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "shared", "naive", "unindexed" -> new ServerVariant(name, name, Map.of());
            case "fast-path" -> new ServerVariant(name, "shared", Map.of(DECLARE_CHANGES, "true"));
            case "detector-path" -> new ServerVariant(name, "shared", Map.of(DECLARE_CHANGES, "false"));
            default -> throw new IllegalArgumentException("unknown strategy '" + entry
                    + "', known: shared, naive, unindexed, fast-path, detector-path");
        };
    }

    /** Whether a scenario is worth running on this variant: naive changes nothing for idle connections. */
    boolean runs(Scenario scenario) {
        return !(strategy.equals("naive") && scenario.commitsPerSecond() == 0);
    }
}
