package dev.arcana.ee;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads {@code arcana.*} values from a config source, collecting one problem per bad key instead
 * of stopping at the first, and remembering the effective value of every key for the start-up log.
 * One reader serves the whole settings pass ({@link ArcanaSettings}, {@link DetectorSettings},
 * {@link ContainerIdentitySettings} and every module's {@link SettingsSection}), so that a
 * deployment reports all bad keys of all modules at once.
 */
public final class SettingsReader {
    private static final Pattern MOUNT_PATTERN = Pattern.compile("(/(?!\\.{1,2}(/|$))[A-Za-z0-9._~-]+)+");

    private final Function<String, Optional<String>> source;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> effective = new LinkedHashMap<>();
    private final Set<String> explicitlySet = new HashSet<>();

    public SettingsReader(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /** The trimmed raw value, or empty when unset (or blank) or unreadable (recorded as a problem). */
    public Optional<String> value(String key) {
        try {
            Optional<String> value = source.apply(key);
            Optional<String> trimmed = value == null ? Optional.empty()
                    : value.map(String::trim).filter(v -> !v.isEmpty());
            trimmed.ifPresent(v -> explicitlySet.add(key));
            return trimmed;
        } catch (RuntimeException e) {
            // e.g. an unresolvable ${expression}: the config implementation's message names it
            problems.add(key + " cannot be read: " + e.getMessage());
            return Optional.empty();
        }
    }

    public long number(String key, long defaultValue, long min, long max) {
        return number(key, defaultValue, min, max, "");
    }

    /** An integer in [min, max]; {@code rangeHint} is appended to the out-of-range message. */
    public long number(String key, long defaultValue, long min, long max, String rangeHint) {
        Optional<String> raw = value(key);
        if (raw.isEmpty()) {
            effective.put(key, Long.toString(defaultValue));
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            problems.add(key + "='" + raw.get() + "' is not an integer");
            return defaultValue;
        }
        if (value < min || value > max) {
            problems.add(key + "='" + raw.get() + "' must be between " + min + " and " + max + rangeHint);
            return defaultValue;
        }
        effective.put(key, Long.toString(value));
        return value;
    }

    public String text(String key, String defaultValue) {
        String value = value(key).orElse(defaultValue);
        effective.put(key, value);
        return value;
    }

    /** A mount path such as {@code /arcana}: starts with '/', no trailing '/', no '.' or '..' segments. */
    public String mount(String key, String defaultValue) {
        String value = value(key).orElse(null);
        if (value == null) {
            effective.put(key, defaultValue);
            return defaultValue;
        }
        if (!MOUNT_PATTERN.matcher(value).matches()) {
            problems.add(key + "='" + value + "' must be a path that starts with '/', does not end with '/'"
                    + " and uses only letters, digits and . _ ~ - (e.g. /arcana)");
            return defaultValue;
        }
        effective.put(key, value);
        return value;
    }

    /** One of {@code choices}, case-insensitive, returned in lower case. */
    public String choice(String key, String defaultValue, Set<String> choices) {
        String value = value(key).orElse(null);
        if (value == null) {
            effective.put(key, defaultValue);
            return defaultValue;
        }
        String normalised = value.toLowerCase(Locale.ROOT);
        if (!choices.contains(normalised)) {
            problems.add(key + "='" + value + "' must be one of " + new TreeSet<>(choices));
            return defaultValue;
        }
        effective.put(key, normalised);
        return normalised;
    }

    /** Records a problem found by a module-specific parser. */
    public void problem(String message) {
        problems.add(message);
    }

    /** Records how a key is shown in the start-up log. */
    public void effective(String key, String shown) {
        effective.put(key, shown);
    }

    /** @throws InvalidSettingsException naming every problem recorded so far, if any */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    /**
     * One module's settings from a map of raw values (tests, tools): {@code read} builds them through
     * a reader over the map, then every problem it recorded is thrown at once.
     *
     * @throws InvalidSettingsException naming every key with an invalid value
     */
    public static <T> T validated(Map<String, String> values, Function<SettingsReader, T> read) {
        Map<String, String> copy = Map.copyOf(values);
        SettingsReader reader = new SettingsReader(key -> Optional.ofNullable(copy.get(key)));
        T settings = read.apply(reader);
        reader.throwIfInvalid();
        return settings;
    }

    public List<String> problems() {
        return Collections.unmodifiableList(problems);
    }

    public Map<String, String> effective() {
        return Collections.unmodifiableMap(effective);
    }

    /** The effective values of the keys under {@code prefix} (a module's own, for its start-up line). */
    public Map<String, String> effective(String prefix) {
        Map<String, String> own = new LinkedHashMap<>();
        effective.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                own.put(key, value);
            }
        });
        return Collections.unmodifiableMap(own);
    }

    public Set<String> explicitlySet() {
        return Collections.unmodifiableSet(explicitlySet);
    }
}
