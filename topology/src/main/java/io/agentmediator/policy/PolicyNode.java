package io.agentmediator.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A policy document as a tree that remembers where each value was written. YAML files and policy
 * records are both turned into this tree first, so one binder validates both the same way; a
 * record's nodes simply have no line and column.
 */
sealed interface PolicyNode permits PolicyNode.Mapping, PolicyNode.Sequence, PolicyNode.Scalar {

    /** The node's place in the document, e.g. {@code agents[1].budgets[0]}; empty for the root. */
    String path();

    Mark mark();

    /** What the node is, for messages about wrong types: "a list", "the string \"x\"". */
    String describe();

    /** A 1-based line and column; 0 when unknown. */
    record Mark(int line, int column) {
        static final Mark UNKNOWN = new Mark(0, 0);
    }

    /** A mapping value together with where its key was written, which is where an unknown key is reported. */
    record Entry(Mark keyMark, PolicyNode value) {
    }

    /** Keys in document order. */
    record Mapping(String path, Mark mark, Map<String, Entry> entries) implements PolicyNode {
        public Mapping {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        @Override
        public String describe() {
            return "a mapping";
        }
    }

    record Sequence(String path, Mark mark, List<PolicyNode> items) implements PolicyNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "a list";
        }
    }

    /**
     * A single value: {@code value} is a String, Long, BigInteger (too big for a long), Double, Boolean
     * or null, as YAML resolved it; {@code text} is how it was written, so a number given where text is
     * expected keeps its digits ({@code version: 1.10} stays "1.10").
     */
    record Scalar(String path, Mark mark, Object value, String text) implements PolicyNode {
        @Override
        public String describe() {
            if (value == null) {
                return "nothing (null)";
            }
            if (value instanceof String) {
                return "the string \"" + text + "\"";
            }
            if (value instanceof Long || value instanceof BigInteger) {
                return "the integer " + text;
            }
            if (value instanceof Double) {
                return "the number " + text;
            }
            return "the boolean " + text;
        }
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /**
     * A tree without places from plain Java values: maps, lists, and String, Long, Integer, Double or
     * Boolean scalars. Null map values are left out, as an absent YAML key would be.
     */
    static PolicyNode fromPlain(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Entry> entries = new LinkedHashMap<>();
            map.forEach((key, child) -> {
                if (child != null) {
                    String name = String.valueOf(key);
                    entries.put(name, new Entry(Mark.UNKNOWN, fromPlain(child, child(path, name))));
                }
            });
            return new Mapping(path, Mark.UNKNOWN, entries);
        }
        if (value instanceof List<?> list) {
            List<PolicyNode> items = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                items.add(fromPlain(list.get(i), element(path, i)));
            }
            return new Sequence(path, Mark.UNKNOWN, items);
        }
        Object scalar = value instanceof Integer integer ? Long.valueOf(integer) : value;
        return new Scalar(path, Mark.UNKNOWN, scalar, String.valueOf(scalar));
    }
}
