package io.agentmediator.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Typed access to the fields of one JSON object, for readers that must name the exact field a
 * person got wrong: every problem is a {@link JsonInputException} with the field's path.
 *
 * <p>An absent field and a field set to {@code null} mean the same, because JSON writers differ in
 * which of the two they produce for "no value".
 */
public final class JsonFields {

    private static final int SHOWN_CHARS = 60;
    private static final Instant EARLIEST_MILLIS = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant LATEST_MILLIS = Instant.ofEpochMilli(Long.MAX_VALUE);

    private final JsonNode object;
    private final String path;

    private JsonFields(JsonNode object, String path) {
        this.object = object;
        this.path = path;
    }

    /**
     * The object at {@code path}.
     *
     * @param path where the object sits in its document, for messages; empty for the document itself
     */
    public static JsonFields object(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw new JsonInputException(path, "must be a JSON object" + got(node));
        }
        return new JsonFields(node, path);
    }

    /** This object, after checking it has no field but {@code known} (a typo must not pass as absent). */
    public JsonFields allowOnly(List<String> known) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new JsonInputException(
                        pathOf(name), "unknown field; the fields here are " + String.join(", ", known));
            }
        }
        return this;
    }

    /** The path of one of this object's fields, for messages. */
    public String pathOf(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** Whether the field has a value (is present and not null). */
    public boolean has(String name) {
        JsonNode value = object.get(name);
        return value != null && !value.isNull();
    }

    /** The field's value as JSON; it must have one. */
    public JsonNode required(String name) {
        if (!has(name)) {
            throw new JsonInputException(pathOf(name), "required field is missing");
        }
        return object.get(name);
    }

    public String requiredString(String name) {
        return string(pathOf(name), required(name));
    }

    /** The string, or null when the field has no value. */
    public String optionalString(String name) {
        return has(name) ? string(pathOf(name), object.get(name)) : null;
    }

    public long requiredLong(String name) {
        return integer(pathOf(name), required(name));
    }

    /** The whole number, or null when the field has no value. */
    public Long optionalLong(String name) {
        return has(name) ? integer(pathOf(name), object.get(name)) : null;
    }

    public double requiredDouble(String name) {
        JsonNode value = required(name);
        if (!value.isNumber()) {
            throw new JsonInputException(pathOf(name), "must be a number" + got(value));
        }
        return value.doubleValue();
    }

    /** The ISO-8601 instant, or null when the field has no value. */
    public Instant optionalInstant(String name) {
        return has(name) ? instant(pathOf(name), object.get(name)) : null;
    }

    /** The ISO-8601 instant; it must have one. */
    public Instant requiredInstant(String name) {
        return instant(pathOf(name), required(name));
    }

    public <E extends Enum<E>> E requiredEnum(String name, Class<E> type) {
        String symbol = requiredString(name);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(symbol)) {
                return constant;
            }
        }
        String symbols = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        throw new JsonInputException(pathOf(name), "must be one of " + symbols + got(object.get(name)));
    }

    /** An array of strings; empty when the field has no value. */
    public List<String> strings(String name) {
        List<String> strings = new ArrayList<>();
        List<JsonNode> items = array(name);
        for (int i = 0; i < items.size(); i++) {
            strings.add(string(pathOf(name) + "[" + i + "]", items.get(i)));
        }
        return strings;
    }

    /** An array of objects, each with its own path ({@code claims[0]}); empty when the field has no value. */
    public List<JsonFields> objects(String name) {
        List<JsonFields> objects = new ArrayList<>();
        List<JsonNode> items = array(name);
        for (int i = 0; i < items.size(); i++) {
            objects.add(object(items.get(i), pathOf(name) + "[" + i + "]"));
        }
        return objects;
    }

    /** An object whose values are all strings, in document order; empty when the field has no value. */
    public Map<String, String> stringMap(String name) {
        Map<String, String> map = new LinkedHashMap<>();
        if (!has(name)) {
            return map;
        }
        JsonFields entries = object(object.get(name), pathOf(name));
        for (Iterator<Map.Entry<String, JsonNode>> fields = entries.object.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            map.put(field.getKey(), string(entries.pathOf(field.getKey()), field.getValue()));
        }
        return map;
    }

    private List<JsonNode> array(String name) {
        List<JsonNode> items = new ArrayList<>();
        if (!has(name)) {
            return items;
        }
        JsonNode value = object.get(name);
        if (!value.isArray()) {
            throw new JsonInputException(pathOf(name), "must be an array" + got(value));
        }
        value.forEach(items::add);
        return items;
    }

    private static String string(String path, JsonNode value) {
        if (!value.isTextual()) {
            throw new JsonInputException(path, "must be a string" + got(value));
        }
        return value.textValue();
    }

    private static long integer(String path, JsonNode value) {
        if (!value.isIntegralNumber()) {
            throw new JsonInputException(path, "must be a whole number" + got(value));
        }
        if (!value.canConvertToLong()) {
            throw new JsonInputException(path, "is too large for a 64-bit integer" + got(value));
        }
        return value.longValue();
    }

    /** Avro's timestamp-millis keeps milliseconds, so finer digits are dropped here rather than on the wire. */
    private static Instant instant(String path, JsonNode value) {
        String problem = "must be an ISO-8601 instant such as 2026-11-21T09:00:00Z";
        if (!value.isTextual()) {
            throw new JsonInputException(path, problem + got(value));
        }
        Instant instant;
        try {
            instant = Instant.parse(value.textValue()).truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new JsonInputException(path, problem + got(value), e);
        }
        // Instants go on as Avro timestamp-millis; one past a long of milliseconds cannot be encoded.
        if (instant.isBefore(EARLIEST_MILLIS) || instant.isAfter(LATEST_MILLIS)) {
            throw new JsonInputException(path, "is beyond the range of millisecond timestamps" + got(value));
        }
        return instant;
    }

    /** What the author wrote, shortened, for the end of a message. */
    static String got(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "";
        }
        String text = value.toString();
        return ", got " + (text.length() > SHOWN_CHARS ? text.substring(0, SHOWN_CHARS) + "..." : text);
    }
}
