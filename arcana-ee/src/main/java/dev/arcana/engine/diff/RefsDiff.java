package dev.arcana.engine.diff;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code refs_patch} of a {@code view_diff}: an RFC 6902 patch over the refs array that, applied
 * in order to the old array, yields exactly the new one.
 *
 * <p>Views hold thousands of refs and change by a few at a time, so the patch must be found in
 * O(n log n) and have a size proportional to the change, not to the view (an LCS is O(n*m), and
 * JSON-P's generic diff is slower still). The algorithm:
 * <ol>
 *   <li>Trim the common prefix and suffix (the usual case is a change somewhere in the middle).
 *   <li>Match old and new refs by identity: table, id and the occurrence number of that pair, so
 *       that duplicates pair up in order. Unmatched old refs are deleted, unmatched new refs added.
 *   <li>The longest increasing subsequence (by old index, in new order) of the matched refs is a
 *       largest set of refs that can stay where they are; every other matched ref moves.
 *   <li>Give every element a slot in one total order that agrees with the old array for the refs
 *       still at their old place and with the new array for the refs already placed: between two
 *       consecutive staying refs, first the old places of the movers, then the new places of the
 *       movers and of the added refs. A Fenwick tree over the occupied slots gives each element's
 *       current array index in O(log n).
 *   <li>Emit: {@code remove} for deleted refs in descending old index (earlier indices stay
 *       valid); then, in new order, {@code add} for new refs, {@code move} for movers and
 *       {@code replace} for matched refs whose value differs (fields, nested, anything); a mover
 *       whose value also changed is sent as {@code remove} + {@code add} (two ops, like move +
 *       replace), as is a move that naive appliers would reject (see {@code looksLikePrefix}).
 * </ol>
 * The array is always "the slots in use, in slot order", so every index is exact, and when all
 * new places are in use it is the new array. Correctness does not depend on the identity key: a
 * poor match only makes the patch larger, never wrong, because values are compared in full.
 */
public final class RefsDiff {

    private RefsDiff() {
    }

    /** @return the patch; the shared empty array when both lists are equal */
    public static JsonArray diff(List<JsonObject> oldRefs, List<JsonObject> newRefs) {
        int oldEnd = oldRefs.size();
        int newEnd = newRefs.size();
        int start = 0;
        int common = Math.min(oldEnd, newEnd);
        while (start < common && same(oldRefs.get(start), newRefs.get(start))) {
            start++;
        }
        while (oldEnd > start && newEnd > start && same(oldRefs.get(oldEnd - 1), newRefs.get(newEnd - 1))) {
            oldEnd--;
            newEnd--;
        }
        if (start == oldEnd && start == newEnd) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        return new Window(oldRefs.subList(start, oldEnd), newRefs.subList(start, newEnd), start).patch();
    }

    private static boolean same(JsonObject a, JsonObject b) {
        return a == b || a.equals(b);
    }

    /** The differing middle part of both arrays; indices local to it, {@code offset} added on output. */
    private static final class Window {
        private final List<JsonObject> olds;
        private final List<JsonObject> news;
        private final int offset;
        private final JsonProvider json = JsonSupport.provider();
        private final JsonArrayBuilder ops = json.createArrayBuilder();

        private final int[] newToOld;   // -1: added
        private final int[] oldToNew;   // -1: deleted
        private final boolean[] stays;  // by new index: in the increasing subsequence
        private final int[] oldSlot;    // by old index, for matched refs
        private final int[] newSlot;    // by new index
        private Fenwick used;

        Window(List<JsonObject> olds, List<JsonObject> news, int offset) {
            this.olds = olds;
            this.news = news;
            this.offset = offset;
            this.newToOld = new int[news.size()];
            this.oldToNew = new int[olds.size()];
            this.stays = new boolean[news.size()];
            this.oldSlot = new int[olds.size()];
            this.newSlot = new int[news.size()];
        }

        JsonArray patch() {
            match();
            markStaying();
            assignSlots();
            emit();
            return ops.build();
        }

        private void match() {
            Map<Key, Integer> oldIndex = new HashMap<>(olds.size() * 2);
            Map<String, int[]> seen = new HashMap<>(olds.size() * 2);
            for (int j = 0; j < olds.size(); j++) {
                oldIndex.put(key(olds.get(j), seen), j);
                oldToNew[j] = -1;
            }
            seen.clear();
            for (int i = 0; i < news.size(); i++) {
                Integer j = oldIndex.get(key(news.get(i), seen));
                newToOld[i] = j == null ? -1 : j;
                if (j != null) {
                    oldToNew[j] = i;
                }
            }
        }

        /** Longest strictly increasing subsequence of old indices, in new order (patience, O(k log k)). */
        private void markStaying() {
            int n = news.size();
            int[] tails = new int[n]; // tails[l]: new index ending the best run of length l + 1
            int[] prev = new int[n];
            int length = 0;
            for (int i = 0; i < n; i++) {
                int j = newToOld[i];
                if (j < 0) {
                    continue;
                }
                int lo = 0;
                int hi = length;
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (newToOld[tails[mid]] < j) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                prev[i] = lo > 0 ? tails[lo - 1] : -1;
                tails[lo] = i;
                if (lo == length) {
                    length++;
                }
            }
            for (int i = length > 0 ? tails[length - 1] : -1; i >= 0; i = prev[i]) {
                stays[i] = true;
            }
        }

        /**
         * Walks both arrays gap by gap (a gap ends at a staying ref, which comes in the same order in
         * both): old places of movers, then new places of movers and added refs, then the staying
         * ref's single slot.
         */
        private void assignSlots() {
            int slot = 0;
            int j = 0;
            int i = 0;
            int oldSize = olds.size();
            int newSize = news.size();
            while (j < oldSize || i < newSize) {
                for (; j < oldSize && !staysOld(j); j++) {
                    if (oldToNew[j] >= 0) {
                        oldSlot[j] = slot++;
                    }
                }
                for (; i < newSize && !stays[i]; i++) {
                    newSlot[i] = slot++;
                }
                if (j < oldSize && i < newSize) {
                    oldSlot[j++] = slot;
                    newSlot[i++] = slot++;
                } else if (j < oldSize || i < newSize) {
                    throw new IllegalStateException("staying refs out of step"); // unreachable
                }
            }
            used = new Fenwick(slot);
            for (int k = 0; k < oldSize; k++) {
                if (oldToNew[k] >= 0) {
                    used.mark(oldSlot[k]);
                }
            }
            used.build();
        }

        private boolean staysOld(int j) {
            return oldToNew[j] >= 0 && stays[oldToNew[j]];
        }

        private void emit() {
            for (int j = olds.size() - 1; j >= 0; j--) {
                if (oldToNew[j] < 0) {
                    op("remove", offset + j, null, null);
                }
            }
            for (int i = 0; i < news.size(); i++) {
                JsonObject value = news.get(i);
                int j = newToOld[i];
                if (j < 0) {
                    op("add", place(newSlot[i]), null, value);
                } else if (stays[i]) {
                    if (!same(olds.get(j), value)) {
                        op("replace", index(newSlot[i]), null, value);
                    }
                } else {
                    int from = index(oldSlot[j]);
                    used.add(oldSlot[j], -1);
                    int path = place(newSlot[i]);
                    boolean changed = !same(olds.get(j), value);
                    if (from == path) {
                        if (changed) {
                            op("replace", path, null, value);
                        }
                    } else if (changed || looksLikePrefix(from, path)) {
                        // same array effect as a move: remove at from, then add at path
                        op("remove", from, null, null);
                        op("add", path, null, value);
                    } else {
                        op("move", path, from, null);
                    }
                }
            }
        }

        /**
         * Whether "/from" is a string prefix of "/path" (e.g. "/1" and "/19"). RFC 6902 forbids moving
         * into a child, i.e. a prefix by reference tokens, but some appliers (Parsson 1.1.9 among
         * them) compare the raw strings and reject such moves; remove + add works everywhere.
         */
        private static boolean looksLikePrefix(int from, int path) {
            return JsonPointers.index(path).startsWith(JsonPointers.index(from));
        }

        /** Array index of the element in an occupied slot. */
        private int index(int slot) {
            return offset + used.countBelow(slot);
        }

        /** Occupies a free slot and answers the array index it inserts at. */
        private int place(int slot) {
            int at = index(slot);
            used.add(slot, 1);
            return at;
        }

        private void op(String name, int path, Integer from, JsonValue value) {
            var op = json.createObjectBuilder().add("op", name);
            if (from != null) {
                op.add("from", JsonPointers.index(from));
            }
            op.add("path", JsonPointers.index(path));
            if (value != null) {
                op.add("value", value);
            }
            ops.add(op);
        }
    }

    /** Identity of a ref: table, id, and which occurrence of that pair it is. */
    private record Key(String tableAndId, int occurrence) {
    }

    private static Key key(JsonObject ref, Map<String, int[]> seen) {
        String tableAndId = part(ref.get("table")) + '\u0000' + part(ref.get("id"));
        int[] count = seen.computeIfAbsent(tableAndId, k -> new int[1]);
        return new Key(tableAndId, count[0]++);
    }

    private static String part(JsonValue value) {
        return value instanceof JsonString s ? s.getString() : String.valueOf(value);
    }

    /** Counts occupied slots below a slot, with updates, in O(log n). */
    private static final class Fenwick {
        private final int[] tree; // 1-based

        Fenwick(int size) {
            tree = new int[size + 1];
        }

        /** Before {@link #build}: marks a slot occupied. */
        void mark(int slot) {
            tree[slot + 1] = 1;
        }

        /** Turns the marks into a Fenwick tree in O(n). */
        void build() {
            for (int k = 1; k < tree.length; k++) {
                int parent = k + (k & -k);
                if (parent < tree.length) {
                    tree[parent] += tree[k];
                }
            }
        }

        void add(int slot, int delta) {
            for (int k = slot + 1; k < tree.length; k += k & -k) {
                tree[k] += delta;
            }
        }

        int countBelow(int slot) {
            int sum = 0;
            for (int k = slot; k > 0; k -= k & -k) {
                sum += tree[k];
            }
            return sum;
        }
    }
}
