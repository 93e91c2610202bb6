package io.agentmediator.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.json.JsonText;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Decision;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded registry answers the Confluent REST calls ordinary clients make, as Confluent's registry does. */
class EmbeddedSchemaRegistryTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(0);

    @AfterEach
    void tearDown() {
        registry.close();
    }

    @Test
    void shouldRegisterAndServeSchemasToTheMediatorsOwnClient() {
        // Given the mediator's HTTP registry client pointed at it
        SchemaRegistryClient client = SchemaRegistryClients.forUrl(registry.url(), Map.of());

        // When it registers two schemas, one of them twice
        int intent = client.register("agent.intents-value", AgentIntent.getClassSchema());
        int again = client.register("agent.intents-value", AgentIntent.getClassSchema());
        int decision = client.register("agent.decisions.execute-value", Decision.getClassSchema());

        // Then ids are global and stable, and each reads back
        assertThat(again).isEqualTo(intent);
        assertThat(decision).isNotEqualTo(intent);
        assertThat(client.schemaById(intent)).isEqualTo(AgentIntent.getClassSchema());
        assertThat(client.idOf("agent.decisions.execute-value", Decision.getClassSchema())).isEqualTo(decision);
    }

    @Test
    void shouldServeAnEarlierRunsSchemasUnderTheirIdsWhenTheBrokersDataIsKept(@TempDir Path keptData) {
        // Given a run (run --embedded with embedded.data.dir) that registered an intent's schema, then a decision's
        EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(0, keptData);
        SchemaRegistryClient before = SchemaRegistryClients.forUrl(first.url(), Map.of());
        int intent = before.register("agent.intents-value", AgentIntent.getClassSchema());
        int decision = before.register("agent.decisions.execute-value", Decision.getClassSchema());
        first.close();

        // When the next run, over the same kept data, meets them the other way round
        EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(0, keptData);
        try {
            SchemaRegistryClient after = SchemaRegistryClients.forUrl(second.url(), Map.of());

            // Then each keeps its id, so the records kept on the broker still name their own schema
            assertThat(after.register("agent.decisions.execute-value", Decision.getClassSchema())).isEqualTo(decision);
            assertThat(after.schemaById(intent)).isEqualTo(AgentIntent.getClassSchema());
            assertThat(after.idOf("agent.intents-value", AgentIntent.getClassSchema())).isEqualTo(intent);
        } finally {
            second.close();
        }
    }

    @Test
    void shouldAnswerVersionsLatestConfigAndCompatibilityAsConfluentDoes() throws Exception {
        // Given two versions of a subject registered over plain HTTP, as a Python or Node client does
        Schema v1 = SchemaBuilder.record("Thing").fields().requiredString("name").endRecord();
        Schema v2 = SchemaBuilder.record("Thing").fields().requiredString("name").optionalLong("size").endRecord();
        int id1 = post("/subjects/things-value/versions", v1).get("id").asInt();
        int id2 = post("/subjects/things-value/versions", v2).get("id").asInt();

        // Then
        assertThat(get("/subjects").body()).isEqualTo("[\"things-value\"]");
        assertThat(get("/subjects/things-value/versions").body()).isEqualTo("[1,2]");
        JsonNode latest = JsonText.parse(get("/subjects/things-value/versions/latest").body());
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(new Schema.Parser().parse(JsonText.parse(get("/schemas/ids/" + id1).body()).get("schema").asText())).isEqualTo(v1);
        assertThat(post("/subjects/things-value", v1).get("version").asInt()).isEqualTo(1);
        assertThat(JsonText.parse(get("/config").body()).get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
        assertThat(get("/config/things-value").statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(uri("/config/things-value"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"FULL\"}"))).body()).contains("FULL");
        assertThat(JsonText.parse(get("/config/things-value").body()).get("compatibilityLevel").asText()).isEqualTo("FULL");
        Schema incompatible = SchemaBuilder.record("Thing").fields().requiredString("name").requiredLong("weight").endRecord();
        assertThat(post("/compatibility/subjects/things-value/versions/latest", v2).get("is_compatible").asBoolean()).isTrue();
        assertThat(post("/compatibility/subjects/things-value/versions/latest", incompatible).get("is_compatible").asBoolean()).isFalse();
    }

    @Test
    void shouldAnswerWhatIsMissingWithConfluentsErrorCodes() throws Exception {
        HttpResponse<String> noSchema = get("/schemas/ids/99");
        HttpResponse<String> noSubject = get("/subjects/nothing-value/versions/latest");

        assertThat(noSchema.statusCode()).isEqualTo(404);
        assertThat(JsonText.parse(noSchema.body()).get("error_code").asInt()).isEqualTo(40403);
        assertThat(noSubject.statusCode()).isEqualTo(404);
        assertThat(JsonText.parse(noSubject.body()).get("error_code").asInt()).isEqualTo(40401);
        assertThat(JsonText.parse(send(HttpRequest.newBuilder(uri("/subjects/x-value/versions"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"schema\":\"{not avro\"}"))).body()).get("error_code").asInt())
                .isEqualTo(42201);
    }

    private JsonNode post(String path, Schema schema) throws Exception {
        String body = "{\"schema\":" + new ObjectMapper().writeValueAsString(schema.toString()) + "}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonText.parse(response.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.header("Content-Type", "application/vnd.schemaregistry.v1+json").build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create(registry.url() + path);
    }
}
