package io.agentmediator.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * What was looked up by schema id, the least recently used dropped once there are more than {@link #MAX_ENTRIES} or their
 * schemas' text passes {@link #MAX_SCHEMA_CHARS}.
 *
 * <p>A producer names a schema id in every record's header, and any id the registry holds is fetched: in a registry
 * shared with other teams, a producer stepping through its ids would have the mediator keep every schema there, each up
 * to the registry answer's 8 MB. The mediator itself reads a few dozen; a dropped one is asked for again.
 */
public final class SchemaCache<V> {

    public static final int MAX_ENTRIES = 1_000;
    public static final long MAX_SCHEMA_CHARS = 16_000_000;

    private record Entry<V>(V value, long chars) {
    }

    private final Map<Integer, Entry<V>> byId = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    public synchronized V get(int id) {
        Entry<V> entry = byId.get(id);
        return entry == null ? null : entry.value();
    }

    /** Keeps {@code value}, of {@code schema}, under {@code id} unless one is there: returns the one kept. */
    public V putIfAbsent(int id, Schema schema, V value) {
        // Measured outside the lock: a large schema's text takes a while to write out.
        long size = schema.toString().length();
        synchronized (this) {
            Entry<V> present = byId.get(id);
            if (present != null) {
                return present.value();
            }
            byId.put(id, new Entry<>(value, size));
            chars += size;
            var eldest = byId.entrySet().iterator();
            while (byId.size() > 1 && (byId.size() > MAX_ENTRIES || chars > MAX_SCHEMA_CHARS)) {
                chars -= eldest.next().getValue().chars();
                eldest.remove();
            }
            return value;
        }
    }
}
