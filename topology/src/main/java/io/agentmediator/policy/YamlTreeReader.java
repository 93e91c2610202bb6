package io.agentmediator.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a {@link PolicyNode} tree that knows the line and column of every key and
 * value. Jackson's streaming parser is used rather than its tree model because only the stream
 * carries locations; it is also where duplicate keys, which YAML readers usually let the last one win,
 * are caught.
 */
final class YamlTreeReader {

    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final Pattern INFINITY = Pattern.compile("[-+]?\\.(inf|Inf|INF)");
    private static final Pattern NOT_A_NUMBER = Pattern.compile("\\.(nan|NaN|NAN)");

    private final YAMLParser parser;
    private final Problems problems;

    private YamlTreeReader(YAMLParser parser, Problems problems) {
        this.parser = parser;
        this.problems = problems;
    }

    /** The document's tree, or null when there is none to bind: empty, or not YAML (reported). */
    static PolicyNode read(String yaml, Problems problems) {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            return new YamlTreeReader(parser, problems).document();
        } catch (JsonProcessingException e) {
            problems.add("", syntaxErrorMark(e), "YAML syntax: " + syntaxErrorMessage(e));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("reading YAML from a string", e);
        }
    }

    private PolicyNode document() throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            problems.add("", new PolicyNode.Mark(1, 1), "the policy is empty");
            return null;
        }
        PolicyNode root = value(first, "");
        if (parser.nextToken() != null) {
            problems.add("", markOf(parser.currentTokenLocation()),
                    "a policy is one YAML document; remove the second (after ---)");
        }
        return root;
    }

    private PolicyNode value(JsonToken token, String path) throws IOException {
        PolicyNode.Mark mark = markOf(parser.currentTokenLocation());
        switch (token) {
            case START_OBJECT:
                return mapping(path, mark);
            case START_ARRAY:
                return sequence(path, mark);
            case VALUE_STRING:
                if (parser.isCurrentAlias()) {
                    problems.add(path, mark,
                            "YAML aliases (*" + parser.getText() + ") are not supported; write the value out");
                }
                return scalar(path, mark, parser.getText());
            case VALUE_NUMBER_INT:
                return scalar(path, mark, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? parser.getBigIntegerValue() : Long.valueOf(parser.getLongValue()));
            case VALUE_NUMBER_FLOAT:
                return scalar(path, mark, floatingPoint());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return scalar(path, mark, parser.getBooleanValue());
            case VALUE_NULL:
                return scalar(path, mark, null);
            default:
                problems.add(path, mark, "unsupported YAML value " + parser.getText());
                return scalar(path, mark, null);
        }
    }

    private PolicyNode.Mapping mapping(String path, PolicyNode.Mark mark) throws IOException {
        Map<String, PolicyNode.Entry> entries = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            String key = parser.currentName();
            PolicyNode.Mark keyMark = markOf(parser.currentTokenLocation());
            String childPath = PolicyNode.child(path, key);
            PolicyNode child = value(parser.nextToken(), childPath);
            PolicyNode.Entry first = entries.putIfAbsent(key, new PolicyNode.Entry(keyMark, child));
            if (first != null) {
                problems.add(childPath, keyMark,
                        "duplicate key \"" + key + "\" (first at line " + first.keyMark().line() + ")");
            }
        }
        return new PolicyNode.Mapping(path, mark, entries);
    }

    private PolicyNode.Sequence sequence(String path, PolicyNode.Mark mark) throws IOException {
        List<PolicyNode> items = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            items.add(value(token, PolicyNode.element(path, items.size())));
        }
        return new PolicyNode.Sequence(path, mark, items);
    }

    private PolicyNode.Scalar scalar(String path, PolicyNode.Mark mark, Object value) throws IOException {
        return new PolicyNode.Scalar(path, mark, value, parser.getText());
    }

    /** YAML spells infinity and NaN {@code .inf} and {@code .nan}, which Jackson cannot turn into a double. */
    private Double floatingPoint() throws IOException {
        String text = parser.getText();
        if (INFINITY.matcher(text).matches()) {
            return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (NOT_A_NUMBER.matcher(text).matches()) {
            return Double.NaN;
        }
        return parser.getDoubleValue();
    }

    private static PolicyNode.Mark markOf(JsonLocation location) {
        return new PolicyNode.Mark(Math.max(location.getLineNr(), 0), Math.max(location.getColumnNr(), 0));
    }

    /** SnakeYAML knows where the problem is; Jackson's own location can be where it gave up reading. */
    private static PolicyNode.Mark syntaxErrorMark(JsonProcessingException e) {
        MarkedYAMLException marked = markedCause(e);
        if (marked != null && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return new PolicyNode.Mark(mark.getLine() + 1, mark.getColumn() + 1);
        }
        return e.getLocation() == null ? PolicyNode.Mark.UNKNOWN : markOf(e.getLocation());
    }

    /** One line: SnakeYAML's own messages repeat the source with a caret, which the place already says. */
    private static String syntaxErrorMessage(JsonProcessingException e) {
        MarkedYAMLException marked = markedCause(e);
        if (marked == null) {
            return e.getOriginalMessage().lines().findFirst().orElse("unreadable");
        }
        Mark context = marked.getContextMark();
        if (marked.getContext() == null || context == null) {
            return marked.getProblem();
        }
        return marked.getProblem() + " (" + marked.getContext() + " at line " + (context.getLine() + 1)
                + ", column " + (context.getColumn() + 1) + ")";
    }

    private static MarkedYAMLException markedCause(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                return marked;
            }
        }
        return null;
    }
}
