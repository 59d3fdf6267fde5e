package dev.arcana.ee;

import dev.arcana.engine.pg.NotifyDetector;
import dev.arcana.engine.pg.TriggerSql;
import dev.arcana.engine.pg.WalDetector;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The change detectors' knobs ({@code arcana.detector} picks the detector, see
 * {@link ArcanaSettings}), read from MicroProfile Config and validated together.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code arcana.detector.url}</td><td>the DataSource's URL</td><td>JDBC URL of the detector's own
 * (never pooled) connections</td></tr>
 * <tr><td>{@code arcana.detector.user}</td><td>the DataSource's user</td><td>role; WAL mode needs
 * {@code REPLICATION}</td></tr>
 * <tr><td>{@code arcana.detector.password}</td><td>(none)</td><td>its password (never logged)</td></tr>
 * <tr><td>{@code arcana.detector.backoff-max-ms}</td><td>5000</td><td>longest reconnect delay (jittered,
 * exponential from 100 ms)</td></tr>
 * <tr><td>{@code arcana.notify.channel}</td><td>{@code arcana_changes}</td><td>NOTIFY channel</td></tr>
 * <tr><td>{@code arcana.notify.install-triggers}</td><td>true</td><td>create/replace the triggers of the
 * registered tables at start (false: a migration owns them)</td></tr>
 * <tr><td>{@code arcana.notify.heartbeat-ms}</td><td>5000</td><td>{@code SELECT 1} on the LISTEN connection</td></tr>
 * <tr><td>{@code arcana.wal.slot}</td><td>(leased)</td><td>unset: each app instance leases the first
 * free slot of {@code arcana_0}, {@code arcana_1}, ... (a session advisory lock held while it streams), so
 * instances side by side never share one and need no per-instance setting; set: exactly this slot, which
 * then must differ per instance</td></tr>
 * <tr><td>{@code arcana.wal.publication}</td><td>{@code arcana}</td><td>publication, shared by instances</td></tr>
 * <tr><td>{@code arcana.wal.publication-scope}</td><td>{@code tables}</td><td>{@code tables}: the registered
 * tables; {@code all}: FOR ALL TABLES (superuser)</td></tr>
 * <tr><td>{@code arcana.wal.status-interval-ms}</td><td>10000</td><td>position reports to the server</td></tr>
 * <tr><td>{@code arcana.wal.max-transaction-changes}</td><td>10000</td><td>row changes of one transaction kept
 * individually; beyond, table-wide</td></tr>
 * <tr><td>{@code arcana.wal.drop-slot-on-stop}</td><td>false</td><td>drop the slot when the app stops
 * (changes while it is down are then not replayed)</td></tr>
 * </table>
 */
public final class DetectorSettings {
    public static final String URL = "arcana.detector.url";
    public static final String USER = "arcana.detector.user";
    public static final String PASSWORD = "arcana.detector.password";
    public static final String BACKOFF_MAX_MS = "arcana.detector.backoff-max-ms";
    public static final String NOTIFY_CHANNEL = "arcana.notify.channel";
    public static final String NOTIFY_INSTALL_TRIGGERS = "arcana.notify.install-triggers";
    public static final String NOTIFY_HEARTBEAT_MS = "arcana.notify.heartbeat-ms";
    public static final String WAL_SLOT = "arcana.wal.slot";
    public static final String WAL_PUBLICATION = "arcana.wal.publication";
    public static final String WAL_PUBLICATION_SCOPE = "arcana.wal.publication-scope";
    public static final String WAL_STATUS_INTERVAL_MS = "arcana.wal.status-interval-ms";
    public static final String WAL_MAX_TRANSACTION_CHANGES = "arcana.wal.max-transaction-changes";
    public static final String WAL_DROP_SLOT_ON_STOP = "arcana.wal.drop-slot-on-stop";

    /** Slots leased by instances without {@code arcana.wal.slot} are this prefix plus {@code _<n>}. */
    public static final String DEFAULT_SLOT_PREFIX = "arcana";

    private static final Set<String> BOOLEANS = Set.of("true", "false");

    private final Optional<String> url;
    private final Optional<String> user;
    private final Optional<String> password;
    private final NotifyDetector.Options notify;
    private final WalDetector.Options wal;

    /** Reads the keys through {@code reader}, part of the one settings pass; problems are recorded there. */
    public DetectorSettings(SettingsReader reader) {
        url = reader.value(URL);
        url.filter(value -> !value.startsWith("jdbc:postgresql:"))
                .ifPresent(value -> reader.problem(URL + "='" + value + "' must be a jdbc:postgresql: URL"));
        user = reader.value(USER);
        password = reader.value(PASSWORD);
        reader.effective(PASSWORD, password.isPresent() ? "****" : "(none)");
        Duration backoffMax = Duration.ofMillis(reader.number(BACKOFF_MAX_MS, 5_000, 100, 600_000));
        Duration initial = Duration.ofMillis(100);

        String channel = identifier(reader, NOTIFY_CHANNEL, TriggerSql.DEFAULT_CHANNEL);
        boolean installTriggers = Boolean.parseBoolean(reader.choice(NOTIFY_INSTALL_TRIGGERS, "true", BOOLEANS));
        Duration heartbeat = Duration.ofMillis(reader.number(NOTIFY_HEARTBEAT_MS, 5_000, 100, 600_000));
        notify = new NotifyDetector.Options(channel, installTriggers, Duration.ofMillis(250), heartbeat, initial,
                backoffMax);

        // unset: every instance leases the first free numbered slot (arcana_0, arcana_1, ...), no per-instance setting
        Optional<String> configuredSlot = reader.value(WAL_SLOT);
        String slot = configuredSlot.orElse(DEFAULT_SLOT_PREFIX);
        if (!slot.matches("[a-z0-9_]{1,63}")) {
            reader.problem(WAL_SLOT + "='" + slot + "' must be 1-63 lower-case letters, digits and underscores");
            slot = DEFAULT_SLOT_PREFIX;
        }
        reader.effective(WAL_SLOT, configuredSlot.orElse(DEFAULT_SLOT_PREFIX + "_<n> (leased)"));
        String publication = identifier(reader, WAL_PUBLICATION, "arcana");
        boolean allTables = "all".equals(reader.choice(WAL_PUBLICATION_SCOPE, "tables", Set.of("tables", "all")));
        Duration statusInterval = Duration.ofMillis(reader.number(WAL_STATUS_INTERVAL_MS, 10_000, 100, 3_600_000));
        int maxChanges = (int) reader.number(WAL_MAX_TRANSACTION_CHANGES, 10_000, 1, 10_000_000);
        boolean dropSlot = Boolean.parseBoolean(reader.choice(WAL_DROP_SLOT_ON_STOP, "false", BOOLEANS));
        wal = new WalDetector.Options(slot, publication, allTables, statusInterval, initial, backoffMax, maxChanges,
                dropSlot, configuredSlot.isEmpty());
    }

    /**
     * Settings from a map (tests, tools).
     *
     * @throws InvalidSettingsException naming every key with an invalid value
     */
    public static DetectorSettings of(Map<String, String> values) {
        return SettingsReader.validated(values, DetectorSettings::new);
    }

    public Optional<String> url() {
        return url;
    }

    public Optional<String> user() {
        return user;
    }

    public Optional<String> password() {
        return password;
    }

    public NotifyDetector.Options notifyOptions() {
        return notify;
    }

    public WalDetector.Options walOptions() {
        return wal;
    }

    private static String identifier(SettingsReader reader, String key, String defaultValue) {
        String value = reader.text(key, defaultValue);
        try {
            return TriggerSql.validateIdentifier(value, key);
        } catch (IllegalArgumentException e) {
            reader.problem(key + "='" + value + "' must be an identifier (letters, digits, _ and $, at most 63)");
            return defaultValue;
        }
    }
}
