package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

    private static final Schema PING = record("Ping");
    private static final Schema PONG = record("Pong");

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("mock://test");

    @Test
    void shouldNumberSchemasFromOne() {
        // When
        int first = registry.register("ping-value", PING);
        int second = registry.register("pong-value", PONG);

        // Then
        assertThat(first).isEqualTo(1);
        assertThat(second).isEqualTo(2);
        assertThat(registry.schemaById(2)).isEqualTo(PONG);
    }

    @Test
    void shouldTakeASchemaUnderAnotherRegistrysIdAndNumberTheNextAfterIt() {
        // Given Ping under the id a cluster's registry gave it
        registry.registerAs(42, "ping-value", PING);

        // When
        int pong = registry.register("pong-value", PONG);

        // Then
        assertThat(registry.schemaById(42)).isEqualTo(PING);
        assertThat(registry.register("ping-value", PING)).isEqualTo(42);
        assertThat(pong).isEqualTo(43);
        assertThatThrownBy(() -> registry.registerAs(42, "pong-value", PONG)).hasMessageContaining("schema id 42 already names").hasMessageContaining("Ping");
    }

    @Test
    void shouldGiveTheSameSchemaTheSameIdUnderEverySubject() {
        // Given
        int id = registry.register("ping-value", PING);

        // When
        int again = registry.register("ping-value", PING);
        int elsewhere = registry.register("audit-value", record("Ping"));

        // Then
        assertThat(again).isEqualTo(id);
        assertThat(elsewhere).isEqualTo(id);
        assertThat(registry.idOf("audit-value", PING)).isEqualTo(id);
    }

    @Test
    void shouldNotFindASchemaOnlyRegisteredUnderAnotherSubject() {
        // Given
        registry.register("ping-value", PING);
        registry.register("pong-value", PONG);

        // When / Then
        assertThatThrownBy(() -> registry.idOf("pong-value", PING))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("Schema test.Ping is not registered under subject 'pong-value' in mock://test");
    }

    @Test
    void shouldNotFindAnUnknownSubjectOrId() {
        // When / Then
        assertThatThrownBy(() -> registry.idOf("nobody-value", PING))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("Subject 'nobody-value' not found in mock://test");
        assertThatThrownBy(() -> registry.schemaById(7))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessage("No schema with id 7 in mock://test");
    }

    private static Schema record(String name) {
        return new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"" + name
                + "\", \"namespace\": \"test\", \"fields\": [{\"name\": \"n\", \"type\": \"int\"}]}");
    }
}
