package dev.arcana.ee.cdi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keys defined more than once (graph keys, mutation keys), each reported once with every place that defines it. */
final class Duplicates {
    private final String kind;
    private final Map<String, List<String>> definitionsByKey = new LinkedHashMap<>();

    /** @param kind what the keys name, e.g. {@code graph} */
    Duplicates(String kind) {
        this.kind = kind;
    }

    /** Records that {@code definition} defines {@code key}; blank keys are their definitions' own problem. */
    void add(String key, String definition) {
        if (key != null && !key.isBlank()) {
            definitionsByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(definition);
        }
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        definitionsByKey.forEach((key, names) -> {
            if (names.size() > 1) {
                problems.add(kind + " key '" + key + "' is defined " + times(names.size()) + ": by "
                        + String.join(" and by ", names));
            }
        });
        return problems;
    }

    private static String times(int count) {
        return count == 2 ? "twice" : count + " times";
    }
}
