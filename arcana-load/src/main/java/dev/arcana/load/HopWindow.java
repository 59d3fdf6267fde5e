package dev.arcana.load;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's hops during one scenario: the difference, bucket by bucket, between the server's
 * {@code run_hops} before and after it ({@code buckets_us}: {@code [upper bound µs, count]} pairs),
 * so a scenario's figures are its own, not the server's since start.
 */
final class HopWindow {

    /** One hop in the window: how many, and the percentiles as bucket upper bounds (ms). */
    record Hop(long count, double p50Ms, double p99Ms) {
    }

    private HopWindow() {
    }

    /**
     * @param before the {@code run_hops} when measuring started, or null (a restarted server: all of {@code after})
     * @param after  the {@code run_hops} at the end; null when the server reports none
     * @return the hops by name in the server's order; null when {@code after} is null
     */
    static Map<String, Hop> between(JsonObject before, JsonObject after) {
        if (after == null) {
            return null;
        }
        Map<String, Hop> hops = new LinkedHashMap<>();
        for (String name : after.keySet()) {
            TreeMap<Double, Long> window = buckets(after.getJsonObject(name));
            JsonObject earlier = before == null ? null : before.getJsonObject(name);
            if (earlier != null) {
                buckets(earlier).forEach((upper, count) -> window.merge(upper, -count, Long::sum));
            }
            hops.put(name, percentiles(window));
        }
        return hops;
    }

    private static TreeMap<Double, Long> buckets(JsonObject hop) {
        TreeMap<Double, Long> buckets = new TreeMap<>();
        JsonArray pairs = hop.getJsonArray("buckets_us");
        if (pairs != null) {
            for (JsonValue pair : pairs) {
                JsonArray bucket = pair.asJsonArray();
                buckets.put(bucket.getJsonNumber(0).doubleValue(), bucket.getJsonNumber(1).longValue());
            }
        }
        return buckets;
    }

    private static Hop percentiles(TreeMap<Double, Long> window) {
        long count = window.values().stream().mapToLong(Long::longValue).sum();
        return new Hop(count, percentileMs(window, count, 50), percentileMs(window, count, 99));
    }

    /** The upper bound of the bucket holding the p-th percentile, as the server computes it. */
    static double percentileMs(TreeMap<Double, Long> window, long count, double p) {
        if (count <= 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * count);
        long seen = 0;
        for (Map.Entry<Double, Long> bucket : window.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return bucket.getKey() / 1_000.0;
            }
        }
        return window.lastKey() / 1_000.0;
    }
}
