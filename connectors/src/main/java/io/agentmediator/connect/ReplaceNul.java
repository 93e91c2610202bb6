package io.agentmediator.connect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Replaces every NUL character (U+0000) in a record's key and value, at any depth (struct fields, list items, map
 * keys and values), by the six characters <code>&#92;u0000</code>. PostgreSQL stores no NUL: a {@code text} column
 * refuses the byte 0x00 and {@code jsonb} the escape <code>&#92;u0000</code>. A case file carries what agents,
 * approvers and executors sent, as they sent it, so one NUL from any of them failed the sink's write; Connect's
 * {@code errors.tolerance} does not cover a sink's writes, and the task stopped on that record at every restart.
 *
 * <p>The six characters rather than U+FFFD: they name the character that was there, the way the mediator's timeline
 * already writes control characters ({@code Printable.escape}), so a row reads the same in every column; U+FFFD
 * already stands for bytes that were not UTF-8, which the Avro decoder replaces by it. A sender's own text
 * <code>&#92;u0000</code> reads the same; the record on the topic keeps which it was. Two keys of one map that would read
 * the same so (one with a NUL, the other with its six characters) are told apart by a backslash in front of the later
 * one, as often as it takes: dropping one, the row would lose an entry the topic has and the policy's rules read.
 *
 * <p>It runs first in both connectors, before anything copies or renders the text. Bytes ({@code bytea}) keep their
 * zeros. Tombstones keep their key replaced the same way, so that they delete the row the key's value made.
 */
public final class ReplaceNul<R extends ConnectRecord<R>> implements Transformation<R> {

    static final String NUL = "\0";
    static final String REPLACEMENT = "\\u0000";

    @Override
    public void configure(Map<String, ?> configs) {
    }

    @Override
    public R apply(R record) {
        Object key = replaced(record.key());
        Object value = replaced(record.value());
        if (key == record.key() && value == record.value()) {
            return record;
        }
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), key, record.valueSchema(), value,
                record.timestamp(), record.headers());
    }

    /** {@code value} itself when it holds no NUL, so that most records are not copied; else its copy without any. */
    private static Object replaced(Object value) {
        if (value instanceof String text) {
            return text.contains(NUL) ? text.replace(NUL, REPLACEMENT) : text;
        }
        if (value instanceof Struct struct) {
            Struct copy = new Struct(struct.schema());
            boolean changed = false;
            for (Field field : struct.schema().fields()) {
                // Without defaults, as the other transforms read: an absent intent's commitment stays null.
                Object before = struct.getWithoutDefault(field.name());
                Object after = replaced(before);
                changed |= after != before;
                copy.put(field, after);
            }
            return changed ? copy : struct;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            boolean changed = false;
            for (Object item : list) {
                Object after = replaced(item);
                changed |= after != item;
                copy.add(after);
            }
            return changed ? copy : list;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                Object key = replaced(entry.getKey());
                Object after = replaced(entry.getValue());
                changed |= key != entry.getKey() || after != entry.getValue();
                while (copy.containsKey(key)) {
                    // One key with a NUL, another with its six characters: told apart by a backslash in front of the later,
                    // so that the row keeps both, as the topic and the rules do.
                    key = "\\" + key;
                }
                copy.put(key, after);
            }
            return changed ? copy : map;
        }
        return value;
    }

    @Override
    public ConfigDef config() {
        return new ConfigDef();
    }

    @Override
    public void close() {
    }
}
