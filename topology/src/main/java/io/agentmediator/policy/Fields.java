package io.agentmediator.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Typed access to one mapping of a policy document. A getter that meets a missing, mistyped or
 * out-of-range value reports it at its place and returns null, so the binder can go on and find the
 * next problem too. A null value reads as an absent key, as YAML authors expect of {@code owner:}.
 */
final class Fields {

    private static final String AMOUNT = "an amount in whole micro-units (1.00 = 1000000)";

    private final PolicyNode.Mapping mapping;
    private final Problems problems;

    private Fields(PolicyNode.Mapping mapping, Problems problems) {
        this.mapping = mapping;
        this.problems = problems;
    }

    /** The mapping at {@code node} with exactly the {@code known} keys, or null (reported) when it is no mapping. */
    static Fields of(PolicyNode node, Problems problems, List<String> known) {
        Fields fields = anyKeys(node, problems);
        if (fields != null) {
            fields.rejectUnknownKeys(known);
        }
        return fields;
    }

    /** The mapping at {@code node} whose keys are data (such as {@code dataFlows}), or null when it is no mapping. */
    static Fields anyKeys(PolicyNode node, Problems problems) {
        if (node instanceof PolicyNode.Mapping mapping) {
            return new Fields(mapping, problems);
        }
        problems.at(node, "expected a mapping, found " + node.describe());
        return null;
    }

    private void rejectUnknownKeys(List<String> known) {
        mapping.entries().forEach((key, entry) -> {
            if (!known.contains(key)) {
                String hint = NearestKey.to(key, known)
                        .map(near -> "did you mean \"" + near + "\"?")
                        .orElse("expected one of " + String.join(", ", known));
                problems.add(PolicyNode.child(mapping.path(), key), entry.keyMark(),
                        "unknown key \"" + key + "\" (" + hint + ")");
            }
        });
    }

    Set<String> keys() {
        return mapping.entries().keySet();
    }

    /** The value at {@code key}, or null when the key is absent or its value is null. */
    PolicyNode node(String key) {
        PolicyNode.Entry entry = mapping.entries().get(key);
        if (entry == null || entry.value() instanceof PolicyNode.Scalar scalar && scalar.value() == null) {
            return null;
        }
        return entry.value();
    }

    /** Reports {@code message} at the value of {@code key}, which must be present. */
    void problem(String key, String message) {
        problems.at(node(key), message);
    }

    /** Reports that {@code key}, absent, must be given; at the mapping, since the key has no place of its own. */
    void missing(String key, String message) {
        problems.add(PolicyNode.child(mapping.path(), key), mapping.mark(), message);
    }

    String string(String key) {
        PolicyNode node = node(key);
        return node == null ? null : text(node);
    }

    String requiredString(String key) {
        return required(key) ? string(key) : null;
    }

    Boolean bool(String key) {
        PolicyNode node = node(key);
        if (node == null) {
            return null;
        }
        if (node instanceof PolicyNode.Scalar scalar && scalar.value() instanceof Boolean value) {
            return value;
        }
        return expected(node, "true or false");
    }

    Long integer(String key) {
        PolicyNode node = node(key);
        return node == null ? null : integer(node, "an integer");
    }

    Long requiredInteger(String key) {
        return required(key) ? integer(key) : null;
    }

    /** Money: integer micro-units, never negative; fractions are rejected rather than rounded. */
    Long amount(String key) {
        PolicyNode node = node(key);
        if (node == null) {
            return null;
        }
        Long amount = integer(node, AMOUNT);
        if (amount != null && amount < 0) {
            problems.at(node, "must not be negative, found " + amount);
            return null;
        }
        return amount;
    }

    Long requiredAmount(String key) {
        return required(key) ? amount(key) : null;
    }

    /** Any finite number; integers are welcome too ({@code refillPerSecond: 2}). */
    Double number(String key) {
        PolicyNode node = node(key);
        if (node == null) {
            return null;
        }
        Object value = node instanceof PolicyNode.Scalar scalar ? scalar.value() : null;
        if (value instanceof Long || value instanceof BigInteger) {
            return ((Number) value).doubleValue();
        }
        if (!(value instanceof Double number)) {
            return expected(node, "a number");
        }
        if (number.isNaN() || number.isInfinite()) {
            problems.at(node, "must be a finite number, found " + ((PolicyNode.Scalar) node).text());
            return null;
        }
        return number;
    }

    Double requiredNumber(String key) {
        return required(key) ? number(key) : null;
    }

    /** One of {@code type}'s constants, spelled exactly; {@code what} names it in the message ("window"). */
    <E extends Enum<E>> E enumValue(String key, Class<E> type, String what) {
        String text = string(key);
        if (text == null) {
            return null;
        }
        E[] constants = type.getEnumConstants();
        for (E constant : constants) {
            if (constant.name().equals(text)) {
                return constant;
            }
        }
        problem(key, "unknown " + what + " \"" + text + "\" (expected " + alternatives(constants) + ")");
        return null;
    }

    <E extends Enum<E>> E requiredEnum(String key, Class<E> type, String what) {
        return required(key) ? enumValue(key, type, what) : null;
    }

    /** The items of the list at {@code key}; empty when absent, and when it is no list (reported). */
    List<PolicyNode> sequence(String key) {
        PolicyNode node = node(key);
        if (node == null) {
            return List.of();
        }
        if (node instanceof PolicyNode.Sequence sequence) {
            return sequence.items();
        }
        expected(node, "a list");
        return List.of();
    }

    /** A list of texts: empty when absent, null when it or one of its items is wrong (each reported). */
    List<String> strings(String key) {
        PolicyNode node = node(key);
        if (node == null) {
            return List.of();
        }
        if (!(node instanceof PolicyNode.Sequence sequence)) {
            return expected(node, "a list");
        }
        List<String> texts = new ArrayList<>();
        for (PolicyNode item : sequence.items()) {
            texts.add(text(item));
        }
        return texts.contains(null) ? null : texts;
    }

    /** The nested mapping at {@code key} with the {@code known} keys, or null when absent or wrong (reported). */
    Fields mapping(String key, List<String> known) {
        PolicyNode node = node(key);
        return node == null ? null : of(node, problems, known);
    }

    /**
     * A scalar as text. Numbers and booleans are taken as written, so {@code version: 1.10} or a
     * numeric id need no quotes; lists, mappings and blank text are reported.
     */
    String text(PolicyNode node) {
        if (!(node instanceof PolicyNode.Scalar scalar) || scalar.value() == null) {
            return expected(node, "text");
        }
        if (scalar.text().isBlank()) {
            problems.at(node, "must not be blank");
            return null;
        }
        return scalar.text();
    }

    private Long integer(PolicyNode node, String expectation) {
        if (node instanceof PolicyNode.Scalar scalar && scalar.value() instanceof Long value) {
            return value;
        }
        if (node instanceof PolicyNode.Scalar scalar && scalar.value() instanceof BigInteger) {
            problems.at(node, "out of range: " + scalar.text() + " does not fit in 64 bits (at most "
                    + Long.MAX_VALUE + ")");
            return null;
        }
        return expected(node, expectation);
    }

    private boolean required(String key) {
        if (node(key) != null) {
            return true;
        }
        missing(key, "required, but missing");
        return false;
    }

    private <T> T expected(PolicyNode node, String expectation) {
        problems.at(node, "expected " + expectation + ", found " + node.describe());
        return null;
    }

    private static String alternatives(Enum<?>[] constants) {
        List<String> names = Arrays.stream(constants).map(Enum::name).collect(Collectors.toList());
        if (names.size() == 1) {
            return names.get(0);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
