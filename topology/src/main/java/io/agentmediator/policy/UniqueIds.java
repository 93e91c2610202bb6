package io.agentmediator.policy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Ids that must not repeat within one list (agents, pools, rules, ...): a repeat is reported where it is. */
final class UniqueIds {

    private final Problems problems;
    private final String what;
    private final Map<String, PolicyNode> firstSeen = new LinkedHashMap<>();

    UniqueIds(Problems problems, String what) {
        this.problems = problems;
        this.what = what;
    }

    /** Records {@code id}, written at {@code node}; reports it when already seen. */
    void add(String id, PolicyNode node) {
        PolicyNode first = firstSeen.putIfAbsent(id, node);
        if (first != null) {
            problems.at(node, "duplicate " + what + " \"" + id + "\" (first at " + first.path() + ")");
        }
    }

    boolean contains(String id) {
        return firstSeen.containsKey(id);
    }

    /** In the order first seen. */
    Set<String> ids() {
        return firstSeen.keySet();
    }
}
