package dev.arcana.engine.diff;

import static dev.arcana.engine.diff.Refs.apply;
import static dev.arcana.engine.diff.Refs.array;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random old/new pairs, checked against Parsson's standard patch applier. Each case has its own
 * seed, named in the failure message, so that a failure can be replayed alone with {@link #SEED}.
 */
class DiffPropertyTest {

    /** Cached: Json.* looks the provider up on every call, which dominates bulk generation. */
    private static final JsonProvider JSON = JsonSupport.provider();

    private static final long SEED = 0x5EA7CE_0000L;
    private static final int CASES = 2_000;

    private static final String[] TABLES = {"users", "tasks", "orgs"};
    private static final String[] REF_FIELDS = {"id", "name", "email", "title", "a/b"};
    private static final String[] ROW_FIELDS = {"id", "name", "n", "note", "a/b", "~x", "tags", "meta"};

    @Test
    void refsPatchRebuildsTheNewArrayExactly() {
        for (int c = 0; c < CASES; c++) {
            long seed = SEED + c;
            Random random = new Random(seed);
            List<JsonObject> old = randomRefs(random);
            List<JsonObject> updated = random.nextInt(4) == 0 ? randomRefs(random) : mutate(old, random);
            inCase(seed, () -> {
                JsonArray patch = RefsDiff.diff(old, updated);

                assertThat(apply(old, patch)).as("seed %d patch %s", seed, patch).isEqualTo(array(updated));
                assertThat(patch.size()).as("seed %d", seed).isLessThanOrEqualTo(old.size() + 2 * updated.size());
                assertThat(patch.isEmpty()).as("seed %d", seed).isEqualTo(old.equals(updated));
                for (JsonValue op : patch) {
                    assertThat(op.asJsonObject().getString("path")).as("seed %d", seed).matches("/\\d+");
                }
            });
        }
    }

    @Test
    void rowPatchRebuildsTheMergedRowExactly() {
        for (int c = 0; c < CASES; c++) {
            long seed = SEED + c;
            Random random = new Random(seed);
            JsonObject old = random.nextInt(5) == 0 ? null : randomRow(random);
            JsonObject fields = randomRow(random);
            inCase(seed, () -> {
                JsonArray patch = RowDiff.diff(old, fields);
                JsonObject merged = RowDiff.merge(old, fields);

                JsonObject base = old == null ? JsonValue.EMPTY_JSON_OBJECT : old;
                assertThat(JSON.createPatch(patch).apply(base)).as("seed %d patch %s", seed, patch).isEqualTo(merged);
                assertThat(patch.isEmpty()).as("seed %d", seed).isEqualTo(merged == old);
                for (JsonValue op : patch) {
                    assertThat(op.asJsonObject()).as("seed %d", seed).containsKey("value");
                }
                fields.forEach((name, value) -> assertThat(JsonEquality.equivalent(merged.get(name), value))
                        .as("seed %d field %s", seed, name).isTrue());
                if (old != null) {
                    assertThat(merged.keySet()).as("seed %d", seed).containsAll(old.keySet());
                }
            });
        }
    }

    private static void inCase(long seed, Runnable check) {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("failed for seed " + seed + ": " + e.getMessage(), e);
        }
    }

    private static List<JsonObject> randomRefs(Random random) {
        int n = random.nextInt(41);
        List<JsonObject> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(randomRef(random, 1));
        }
        return refs;
    }

    /** A pool of 3 tables x 8 ids, so that overlaps and duplicates are common. */
    private static JsonObject randomRef(Random random, int depth) {
        JsonArrayBuilder fields = JSON.createArrayBuilder();
        for (String field : REF_FIELDS) {
            if (random.nextInt(3) == 0) {
                fields.add(field);
            }
        }
        JsonObjectBuilder ref = JSON.createObjectBuilder()
                .add("table", TABLES[random.nextInt(TABLES.length)])
                .add("id", String.valueOf(random.nextInt(8)))
                .add("fields", fields);
        if (depth > 0 && random.nextInt(5) == 0) {
            ref.add("nested", JSON.createObjectBuilder().add(random.nextBoolean() ? "assignee" : "org",
                    randomRef(random, depth - 1)));
        }
        return ref.build();
    }

    /** Small edits of the old list, as views usually change. */
    private static List<JsonObject> mutate(List<JsonObject> old, Random random) {
        List<JsonObject> refs = new ArrayList<>(old);
        int edits = random.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int kind = random.nextInt(5);
            if (kind == 0 || refs.isEmpty()) {
                refs.add(random.nextInt(refs.size() + 1), randomRef(random, 1));
            } else if (kind == 1) {
                refs.remove(random.nextInt(refs.size()));
            } else if (kind == 2) {
                JsonObject moved = refs.remove(random.nextInt(refs.size()));
                refs.add(random.nextInt(refs.size() + 1), moved);
            } else if (kind == 3) {
                int at = random.nextInt(refs.size());
                JsonObject changed = refs.get(at);
                refs.set(at, JSON.createObjectBuilder(changed)
                        .add("fields", JSON.createArrayBuilder().add("f" + random.nextInt(3))).build());
            } else {
                refs.add(random.nextInt(refs.size() + 1), refs.get(random.nextInt(refs.size())));
            }
        }
        return refs;
    }

    private static JsonObject randomRow(Random random) {
        JsonObjectBuilder row = JSON.createObjectBuilder();
        for (String field : ROW_FIELDS) {
            if (random.nextInt(3) != 0) {
                row.add(field, randomValue(random));
            }
        }
        return row.build();
    }

    /** Few distinct values, so that equal fields are common; numbers in several spellings. */
    private static JsonValue randomValue(Random random) {
        switch (random.nextInt(7)) {
            case 0:
                return JsonValue.NULL;
            case 1:
                return JSON.createValue("s" + random.nextInt(3));
            case 2:
                return JSON.createValue(random.nextInt(3));
            case 3:
                return JSON.createValue(new BigDecimal(random.nextInt(3) + (random.nextBoolean() ? ".0" : ".50")));
            case 4:
                return random.nextBoolean() ? JsonValue.TRUE : JsonValue.FALSE;
            case 5:
                return JSON.createArrayBuilder().add(random.nextInt(2)).add(new BigDecimal(random.nextInt(2) + ".0")).build();
            default:
                return JSON.createObjectBuilder().add("k", random.nextInt(2)).build();
        }
    }
}
