package io.agentmediator.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaNotFoundException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * The Confluent Schema Registry REST calls ordinary clients make (Confluent's serializers in Java,
 * confluent-kafka in Python, Go and .NET, kafkajs' confluent-schema-registry in Node), served from an
 * {@link InMemorySchemaRegistry}, at the root:
 *
 * <pre>
 * POST /subjects/{subject}/versions                    register           {"id": n}
 * POST /subjects/{subject}                             look up            {"subject", "id", "version", "schema"}
 * GET  /schemas/ids/{id}                               by id              {"schema"}
 * GET  /subjects                                       subjects           ["..."]
 * GET  /subjects/{subject}/versions                    versions           [1, 2]
 * GET  /subjects/{subject}/versions/{n|latest}         one version        {"subject", "id", "version", "schema"}
 * GET|PUT /config, /config/{subject}                   compatibility      {"compatibilityLevel"} / {"compatibility"}
 * POST /compatibility/subjects/{subject}/versions/{n|latest}              {"is_compatible": bool}
 * </pre>
 *
 * Errors answer as Confluent does: {@code {"error_code": 40401, "message": ...}} with the HTTP status
 * its first three digits give. Avro only. The compatibility level is kept and reported; registering
 * does not enforce it (the in-memory registry is a development tool), but the compatibility call
 * answers for BACKWARD (the new schema reads data written with the version asked about).
 */
final class RegistryRestApi implements HttpHandler {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String GLOBAL = "";

    private final InMemorySchemaRegistry registry;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> compatibility = new ConcurrentHashMap<>(Map.of(GLOBAL, "BACKWARD"));

    /** Where registrations are kept across runs; null: they live as long as the process. */
    private final KeptSchemas kept;

    RegistryRestApi(InMemorySchemaRegistry registry) {
        this(registry, null);
    }

    RegistryRestApi(InMemorySchemaRegistry registry, KeptSchemas kept) {
        this.kept = kept;
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Answer answer;
            try {
                answer = answer(exchange.getRequestMethod(), segments(exchange.getRequestURI().getRawPath()), exchange);
            } catch (SchemaNotFoundException e) {
                answer = Answer.error(notFoundCode(e.getMessage()), e.getMessage());
            } catch (SchemaParseException | IllegalArgumentException e) {
                answer = Answer.error(42201, "Invalid schema: " + e.getMessage());
            }
            byte[] body = json.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private Answer answer(String method, List<String> path, HttpExchange exchange) throws IOException {
        String first = path.isEmpty() ? "" : path.get(0);
        return switch (method + " " + first + "/" + path.size()) {
            case "POST subjects/3" -> path.get(2).equals("versions") ? register(path.get(1), exchange) : notFound();
            case "POST subjects/2" -> lookUp(path.get(1), exchange);
            case "GET schemas/3" -> path.get(1).equals("ids") ? Answer.ok(json.createObjectNode()
                    .put("schema", registry.schemaById(id(path.get(2))).toString())) : notFound();
            case "GET subjects/1" -> Answer.ok(json.valueToTree(registry.subjects()));
            case "GET subjects/3" -> path.get(2).equals("versions") ? Answer.ok(json.valueToTree(
                    java.util.stream.IntStream.rangeClosed(1, registry.versions(path.get(1)).size()).boxed().toList())) : notFound();
            case "GET subjects/4" -> path.get(2).equals("versions") ? Answer.ok(version(path.get(1), path.get(3))) : notFound();
            case "GET config/1" -> Answer.ok(json.createObjectNode().put("compatibilityLevel", compatibility.get(GLOBAL)));
            case "GET config/2" -> compatibility.containsKey(path.get(1))
                    ? Answer.ok(json.createObjectNode().put("compatibilityLevel", compatibility.get(path.get(1))))
                    : Answer.error(40408, "Subject '" + path.get(1) + "' does not have subject-level compatibility configured");
            case "PUT config/1" -> setCompatibility(GLOBAL, exchange);
            case "PUT config/2" -> setCompatibility(path.get(1), exchange);
            case "POST compatibility/5" -> path.get(1).equals("subjects") && path.get(3).equals("versions")
                    ? compatible(path.get(2), path.get(4), exchange) : notFound();
            default -> notFound();
        };
    }

    private Answer register(String subject, HttpExchange exchange) throws IOException {
        Schema schema = schemaIn(exchange);
        int id = registry.register(subject, schema);
        if (kept != null) {
            kept.keep(id, subject, schema);
        }
        return Answer.ok(json.createObjectNode().put("id", id));
    }

    private Answer lookUp(String subject, HttpExchange exchange) throws IOException {
        int id = registry.idOf(subject, schemaIn(exchange));
        return Answer.ok(describe(subject, registry.versions(subject).indexOf(id) + 1, id));
    }

    private ObjectNode version(String subject, String version) {
        List<Integer> ids = registry.versions(subject);
        int n = version.equals("latest") ? ids.size() : number(version, "Version " + version + " not found under subject '" + subject + "'");
        if (n < 1 || n > ids.size()) {
            throw new SchemaNotFoundException("Version " + version + " not found under subject '" + subject + "'");
        }
        return describe(subject, n, ids.get(n - 1));
    }

    private ObjectNode describe(String subject, int version, int id) {
        return json.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", registry.schemaById(id).toString());
    }

    private Answer setCompatibility(String subject, HttpExchange exchange) throws IOException {
        JsonNode level = json.readTree(exchange.getRequestBody()).get("compatibility");
        if (level == null || !level.isTextual()) {
            return Answer.error(42203, "expected {\"compatibility\": \"BACKWARD\"} or another level");
        }
        compatibility.put(subject, level.asText());
        return Answer.ok(json.createObjectNode().put("compatibility", level.asText()));
    }

    private Answer compatible(String subject, String version, HttpExchange exchange) throws IOException {
        Schema candidate = schemaIn(exchange);
        Schema existing = registry.schemaById(version(subject, version).get("id").asInt());
        boolean readsOld = SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
        return Answer.ok(json.createObjectNode().put("is_compatible", readsOld));
    }

    private Schema schemaIn(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        JsonNode type = body == null ? null : body.get("schemaType");
        if (type != null && !type.asText().equals("AVRO")) {
            throw new IllegalArgumentException("only AVRO schemas are served here, not " + type.asText());
        }
        JsonNode text = body == null ? null : body.get("schema");
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("expected {\"schema\": \"<Avro schema as a JSON string>\"}");
        }
        return new Schema.Parser().parse(text.asText());
    }

    private static int id(String text) {
        return number(text, "No schema with id " + text);
    }

    private static int number(String text, String notFound) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new SchemaNotFoundException(notFound);
        }
    }

    private static Answer notFound() {
        return Answer.error(40400, "no such endpoint");
    }

    /** Confluent's codes: 40401 subject, 40402 version, 40403 schema not found. */
    private static int notFoundCode(String message) {
        return message.startsWith("Subject") ? 40401 : message.startsWith("Version") ? 40402 : 40403;
    }

    private static List<String> segments(String rawPath) {
        return java.util.Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty())
                .map(s -> URLDecoder.decode(s, StandardCharsets.UTF_8)).toList();
    }

    /** A status and a JSON body; errors carry Confluent's five-digit code. */
    private record Answer(int status, Object body) {

        static Answer ok(Object body) {
            return new Answer(200, body);
        }

        static Answer error(int code, String message) {
            return new Answer(code / 100, Map.of("error_code", code, "message", message));
        }
    }
}
