package dev.arcana.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The engine's knobs, validated at construction.
 *
 * @param debounce                  least time between the starts of two runs of one query instance
 *                                  (zero: none; runs are paced by their own cost anyway, see {@link Coalescer})
 * @param maxSubscriptionsPerSeance subscriptions one seance may hold
 * @param snapshotThreshold         versions of history kept per subscription; a larger gap syncs by snapshot
 * @param gcInterval                how often unreferenced rows are dropped from the stores
 * @param notifyQueueCapacity       explicit notifications buffered before degrading to table-wide invalidation
 * @param loadTimeout               how long a subscribe waits for a new instance's first factory run
 * @param queryTimeout              per-statement timeout of factory queries (zero: none)
 * @param strategy                  shared instances with coalescing, or the naive baseline for benchmarks
 * @param seanceIdleTtl             a seance no transport holds is released after this long without a call
 *                                  (zero: never); checked at every garbage collection
 * @param caps                      what clients may make the engine hold, beyond the per-seance cap
 * @param mutations                 limits of the write path
 */
public record EngineConfig(Duration debounce, int maxSubscriptionsPerSeance, int snapshotThreshold,
                           Duration gcInterval, int notifyQueueCapacity, Duration loadTimeout,
                           Duration queryTimeout, Strategy strategy, Duration seanceIdleTtl, Caps caps,
                           Mutations mutations) {

    /**
     * The write path's limits.
     *
     * @param maxInFlightPerSeance mutations one seance may have running at once ({@code too_many_requests})
     * @param rememberedPerSeance  outcomes of mutation ids kept per seance for retries (exactly once)
     * @param detectorWait         how long a reply waits for the detector to report a mutation that
     *                             declared no changes (zero: not at all)
     */
    public record Mutations(int maxInFlightPerSeance, int rememberedPerSeance, Duration detectorWait) {
        public static final int DEFAULT_MAX_IN_FLIGHT_PER_SEANCE = 4;
        public static final int DEFAULT_REMEMBERED_PER_SEANCE = 256;
        public static final Duration DEFAULT_DETECTOR_WAIT = Duration.ofSeconds(2);

        public static Mutations defaults() {
            return new Mutations(DEFAULT_MAX_IN_FLIGHT_PER_SEANCE, DEFAULT_REMEMBERED_PER_SEANCE,
                    DEFAULT_DETECTOR_WAIT);
        }
    }

    /**
     * Caps on what clients may make the engine hold or run; each refusal is a 429 with its own code.
     *
     * @param subscriptionsPerIdentity subscriptions one user may hold in one workspace, across seances
     *                                 ({@code too_many_subscriptions})
     * @param seancesPerIdentity       seances one user may hold in one workspace ({@code too_many_seances})
     * @param instancesPerWorkspace    live query instances of one workspace ({@code too_many_instances})
     * @param syncViews                views one sync request may carry, at most the per-seance cap
     *                                 ({@code too_many_views}); 0 in the builder means "the per-seance cap"
     */
    public record Caps(int subscriptionsPerIdentity, int seancesPerIdentity, int instancesPerWorkspace,
                       int syncViews) {
        public static final int DEFAULT_SUBSCRIPTIONS_PER_IDENTITY = 500;
        public static final int DEFAULT_SEANCES_PER_IDENTITY = 32;
        public static final int DEFAULT_INSTANCES_PER_WORKSPACE = 10_000;

        public static Caps defaults() {
            return new Caps(DEFAULT_SUBSCRIPTIONS_PER_IDENTITY, DEFAULT_SEANCES_PER_IDENTITY,
                    DEFAULT_INSTANCES_PER_WORKSPACE, 0);
        }
    }

    public int maxSubscriptionsPerIdentity() {
        return caps.subscriptionsPerIdentity();
    }

    public int maxSeancesPerIdentity() {
        return caps.seancesPerIdentity();
    }

    public int maxInstancesPerWorkspace() {
        return caps.instancesPerWorkspace();
    }

    public int maxSyncViews() {
        return caps.syncViews();
    }

    public static final Duration DEFAULT_DEBOUNCE = Duration.ZERO;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS = 100;
    public static final int DEFAULT_SNAPSHOT_THRESHOLD = 50;
    public static final Duration DEFAULT_GC_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_NOTIFY_QUEUE = 10_000;
    public static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SEANCE_IDLE_TTL = Duration.ofMinutes(5);

    public EngineConfig {
        List<String> problems = new ArrayList<>();
        requireDuration(problems, "debounce", debounce, true);
        requireDuration(problems, "gcInterval", gcInterval, false);
        requireDuration(problems, "loadTimeout", loadTimeout, false);
        requireDuration(problems, "queryTimeout", queryTimeout, true);
        requireDuration(problems, "seanceIdleTtl", seanceIdleTtl, true);
        if (strategy == null) {
            problems.add("strategy is required");
        }
        if (maxSubscriptionsPerSeance < 1) {
            problems.add("maxSubscriptionsPerSeance must be at least 1, got " + maxSubscriptionsPerSeance);
        }
        if (snapshotThreshold < 1) {
            problems.add("snapshotThreshold must be at least 1, got " + snapshotThreshold);
        }
        if (notifyQueueCapacity < 1) {
            problems.add("notifyQueueCapacity must be at least 1, got " + notifyQueueCapacity);
        }
        if (caps == null) {
            problems.add("caps is required");
        } else {
            if (caps.syncViews() == 0) {
                caps = new Caps(caps.subscriptionsPerIdentity(), caps.seancesPerIdentity(),
                        caps.instancesPerWorkspace(), maxSubscriptionsPerSeance);
            }
            requirePositive(problems, "caps.subscriptionsPerIdentity", caps.subscriptionsPerIdentity());
            requirePositive(problems, "caps.seancesPerIdentity", caps.seancesPerIdentity());
            requirePositive(problems, "caps.instancesPerWorkspace", caps.instancesPerWorkspace());
            if (maxSubscriptionsPerSeance >= 1 && (caps.syncViews() < 1 || caps.syncViews() > maxSubscriptionsPerSeance)) {
                problems.add("caps.syncViews must be in [1, maxSubscriptionsPerSeance=" + maxSubscriptionsPerSeance
                        + "], got " + caps.syncViews());
            }
        }
        if (mutations == null) {
            problems.add("mutations is required");
        } else {
            requirePositive(problems, "mutations.maxInFlightPerSeance", mutations.maxInFlightPerSeance());
            requirePositive(problems, "mutations.rememberedPerSeance", mutations.rememberedPerSeance());
            requireDuration(problems, "mutations.detectorWait", mutations.detectorWait(), true);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid engine config: " + String.join("; ", problems));
        }
    }

    public static EngineConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requirePositive(List<String> problems, String name, int value) {
        if (value < 1) {
            problems.add(name + " must be at least 1, got " + value);
        }
    }

    private static void requireDuration(List<String> problems, String name, Duration value, boolean zeroAllowed) {
        if (value == null) {
            problems.add(name + " is required");
        } else if (value.isNegative() || (!zeroAllowed && value.isZero())) {
            problems.add(name + " must be " + (zeroAllowed ? "zero or positive" : "positive") + ", got " + value);
        }
    }

    public static final class Builder {
        private Duration debounce = DEFAULT_DEBOUNCE;
        private int maxSubscriptionsPerSeance = DEFAULT_MAX_SUBSCRIPTIONS;
        private int snapshotThreshold = DEFAULT_SNAPSHOT_THRESHOLD;
        private Duration gcInterval = DEFAULT_GC_INTERVAL;
        private int notifyQueueCapacity = DEFAULT_NOTIFY_QUEUE;
        private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;
        private Duration queryTimeout = Duration.ZERO;
        private Strategy strategy = Strategy.SHARED;
        private Duration seanceIdleTtl = DEFAULT_SEANCE_IDLE_TTL;
        private Caps caps = Caps.defaults();
        private Mutations mutations = Mutations.defaults();

        public Builder debounce(Duration value) {
            debounce = Objects.requireNonNull(value);
            return this;
        }


        public Builder maxSubscriptionsPerSeance(int value) {
            maxSubscriptionsPerSeance = value;
            return this;
        }

        public Builder snapshotThreshold(int value) {
            snapshotThreshold = value;
            return this;
        }

        public Builder gcInterval(Duration value) {
            gcInterval = Objects.requireNonNull(value);
            return this;
        }

        public Builder notifyQueueCapacity(int value) {
            notifyQueueCapacity = value;
            return this;
        }

        public Builder loadTimeout(Duration value) {
            loadTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder queryTimeout(Duration value) {
            queryTimeout = Objects.requireNonNull(value);
            return this;
        }

        public Builder strategy(Strategy value) {
            strategy = Objects.requireNonNull(value);
            return this;
        }

        public Builder seanceIdleTtl(Duration value) {
            seanceIdleTtl = Objects.requireNonNull(value);
            return this;
        }

        public Builder caps(Caps value) {
            caps = Objects.requireNonNull(value);
            return this;
        }

        public Builder mutations(Mutations value) {
            mutations = Objects.requireNonNull(value);
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(debounce, maxSubscriptionsPerSeance, snapshotThreshold, gcInterval,
                    notifyQueueCapacity, loadTimeout, queryTimeout, strategy, seanceIdleTtl, caps, mutations);
        }
    }
}
