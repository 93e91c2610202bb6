package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SchemaRegistryClientsTest {

    private static final Schema PING = new Schema.Parser().parse("""
            {"type": "record", "name": "Ping", "namespace": "test", "fields": [{"name": "n", "type": "int"}]}""");

    @AfterEach
    void dropScopes() {
        SchemaRegistryClients.dropScope("clients-a");
        SchemaRegistryClients.dropScope("clients-b");
    }

    @Test
    void shouldShareOneMockRegistryPerScope() {
        // Given
        SchemaRegistryClient app = SchemaRegistryClients.forUrl("mock://clients-a", Map.of());
        SchemaRegistryClient demo = SchemaRegistryClients.forUrl("mock://clients-a", Map.of());

        // When
        int id = app.register("ping-value", PING);

        // Then
        assertThat(demo).isSameAs(app);
        assertThat(demo.schemaById(id)).isEqualTo(PING);
    }

    @Test
    void shouldIsolateMockScopes() {
        // Given
        SchemaRegistryClients.forUrl("mock://clients-a", Map.of()).register("ping-value", PING);

        // When
        SchemaRegistryClient other = SchemaRegistryClients.forUrl("mock://clients-b", Map.of());

        // Then
        assertThatThrownBy(() -> other.schemaById(1)).isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldStartAfreshAfterAScopeIsDropped() {
        // Given
        SchemaRegistryClients.forUrl("mock://clients-a", Map.of()).register("ping-value", PING);

        // When
        SchemaRegistryClients.dropScope("clients-a");

        // Then
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("mock://clients-a", Map.of()).schemaById(1))
                .isInstanceOf(SchemaNotFoundException.class);
    }

    @Test
    void shouldCacheHttpRegistries() {
        // When
        SchemaRegistryClient client = SchemaRegistryClients.forUrl("http://registry:8081", Map.of());

        // Then
        assertThat(client).isInstanceOf(CachingSchemaRegistryClient.class);
        assertThat(client).hasToString("cached http://registry:8081");
    }

    @Test
    void shouldRejectAnUnsupportedUrlByName() {
        // When / Then
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("registry:8081", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'registry:8081'");
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl("mock://", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'mock://'");
        assertThatThrownBy(() -> SchemaRegistryClients.forUrl(" ", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("schema.registry.url");
    }
}
