package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** What a cache of schemas by id keeps when records name more ids than the mediator uses. */
class SchemaCacheTest {

    private static final Schema SMALL = Schema.create(Schema.Type.STRING);

    @Test
    void shouldDropTheLeastRecentlyUsedIdOnceMoreAreNamedThanItKeeps() {
        // Given a cache in which id 0 is read back after every new id, as a schema the mediator uses on every record is
        SchemaCache<String> cache = new SchemaCache<>();
        cache.putIfAbsent(0, SMALL, "ours");
        cache.putIfAbsent(1, SMALL, "first of many");

        // When a producer steps through more ids than it keeps
        for (int id = 2; id <= SchemaCache.MAX_ENTRIES * 3; id++) {
            cache.putIfAbsent(id, SMALL, "id " + id);
            assertThat(cache.get(0)).isEqualTo("ours");
        }

        // Then the one in use stays, the early ones are gone, the latest are there
        assertThat(cache.get(0)).isEqualTo("ours");
        assertThat(cache.get(1)).isNull();
        assertThat(cache.get(SchemaCache.MAX_ENTRIES)).isNull();
        assertThat(cache.get(SchemaCache.MAX_ENTRIES * 3)).isEqualTo("id " + SchemaCache.MAX_ENTRIES * 3);
        assertThat(cache.get(SchemaCache.MAX_ENTRIES * 2 + 2)).isEqualTo("id " + (SchemaCache.MAX_ENTRIES * 2 + 2));
    }

    @Test
    void shouldKeepNoMoreSchemaTextThanItsBoundWhateverTheCount() {
        // Given schemas of about 3 MB of text each
        Schema large = recordOfFields(60_000);
        long size = large.toString().length();
        assertThat(size).isBetween(2_000_000L, 4_000_000L);
        SchemaCache<String> cache = new SchemaCache<>();

        // When ten are kept
        for (int id = 1; id <= 10; id++) {
            cache.putIfAbsent(id, large, "large " + id);
        }

        // Then only as many as fit the bound are still there: the latest
        long kept = java.util.stream.IntStream.rangeClosed(1, 10).filter(id -> cache.get(id) != null).count();
        assertThat(kept).isEqualTo(SchemaCache.MAX_SCHEMA_CHARS / size);
        assertThat(cache.get(10)).isEqualTo("large 10");
        assertThat(cache.get(1)).isNull();
    }

    @Test
    void shouldKeepTheFirstValueForAnId() {
        // Given
        SchemaCache<String> cache = new SchemaCache<>();

        // When two threads' answers for one id race
        String first = cache.putIfAbsent(7, SMALL, "first");
        String second = cache.putIfAbsent(7, SMALL, "second");

        // Then both use the first
        assertThat(first).isEqualTo("first");
        assertThat(second).isEqualTo("first");
        assertThat(cache.get(7)).isEqualTo("first");
    }

    @Test
    void shouldKeepOneSchemaLargerThanTheWholeBound() {
        // Given a cache holding a small schema
        SchemaCache<String> cache = new SchemaCache<>();
        cache.putIfAbsent(1, SMALL, "small");

        // When one larger than the bound is kept
        Schema huge = recordOfFields(1_000_000);

        // Then it is what was returned and is kept until the next, alone
        assertThat(cache.putIfAbsent(2, huge, "huge")).isEqualTo("huge");
        assertThat(cache.get(2)).isEqualTo("huge");
        assertThat(cache.get(1)).isNull();
    }

    private static Schema recordOfFields(int count) {
        List<Schema.Field> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            fields.add(new Schema.Field("field_number_" + i, SMALL));
        }
        return Schema.createRecord("Large", null, "test", false, fields);
    }
}
