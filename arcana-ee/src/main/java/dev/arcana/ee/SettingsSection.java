package dev.arcana.ee;

import java.util.Optional;

/**
 * A module's share of the one settings pass: a transport (or any other jar next to arcana-ee)
 * names its settings type and reads its keys through the shared {@link SettingsReader}, so that its
 * bad values are reported at deployment together with every other module's and the graphs'.
 *
 * <p>Found with {@link java.util.ServiceLoader} ({@code META-INF/services/dev.arcana.ee.SettingsSection}):
 * the pass runs while CDI validates the deployment, before any bean of the module exists.
 * The settings object is then available from {@link ArcanaSettings#section(Class)}.
 *
 * @param <T> the module's settings type
 */
public interface SettingsSection<T> {

    /** The settings type this section reads, the key of {@link ArcanaSettings#section(Class)}. */
    Class<T> type();

    /**
     * Reads the module's keys; problems are recorded in {@code reader}, never thrown.
     *
     * @param shared the core settings every module may depend on (read before any section)
     * @return the settings, or empty when the module is not in use (e.g. another transport is
     *         selected) and its keys were not read
     */
    Optional<T> read(SettingsReader reader, Shared shared);

    /** Core settings that sections need: where Arcana is mounted and which transport is selected. */
    record Shared(String mount, String transport) {
    }
}
