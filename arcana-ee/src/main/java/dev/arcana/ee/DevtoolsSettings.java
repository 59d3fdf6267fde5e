package dev.arcana.ee;

import java.util.Set;

/**
 * {@code arcana.devtools.*}: DevTools ({@code {mount}/devtools}) is off unless enabled, and then shown
 * only to identities with {@link #PERMISSION} (their own workspace) or {@link #PERMISSION_ALL} (every
 * workspace); everyone else gets the 404 of an unknown path.
 *
 * @param enabled       {@code arcana.devtools.enabled}, default false
 * @param recentChanges {@code arcana.devtools.recent-changes}: changes kept with their runs' times (1..10,000)
 */
public record DevtoolsSettings(boolean enabled, int recentChanges) {
    public static final String ENABLED = "arcana.devtools.enabled";
    public static final String RECENT_CHANGES = "arcana.devtools.recent-changes";
    public static final String PERMISSION = "arcana:devtools";
    public static final String PERMISSION_ALL = "arcana:devtools:all";
    static final int DEFAULT_RECENT_CHANGES = 200;

    DevtoolsSettings(SettingsReader reader) {
        this("true".equals(reader.choice(ENABLED, "false", Set.of("true", "false"))),
                (int) reader.number(RECENT_CHANGES, DEFAULT_RECENT_CHANGES, 1, 10_000));
    }

    /** The engine's change log capacity: nothing is recorded while DevTools is off. */
    public int changeLogCapacity() {
        return enabled ? recentChanges : 0;
    }
}
