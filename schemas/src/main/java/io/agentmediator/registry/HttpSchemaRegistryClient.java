package io.agentmediator.registry;

import static io.agentmediator.registry.SchemaRegistryClientConfig.CONNECT_TIMEOUT_MS;
import static io.agentmediator.registry.SchemaRegistryClientConfig.CONNECT_TIMEOUT_MS_DEFAULT;
import static io.agentmediator.registry.SchemaRegistryClientConfig.READ_TIMEOUT_MS;
import static io.agentmediator.registry.SchemaRegistryClientConfig.READ_TIMEOUT_MS_DEFAULT;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} speaking the Confluent Schema Registry REST API over HTTP(S),
 * with the JDK's HTTP client, because Confluent's own Java client is not available to us.
 *
 * <p>It caches nothing, so that caching stays one concern in one place: use
 * {@link SchemaRegistryClients#forUrl(String, Map)}, which wraps it in a
 * {@link CachingSchemaRegistryClient}. Only Avro schemas without references are supported.
 *
 * <p>Configuration (see {@link SchemaRegistryClientConfig}): comma-separated URLs tried in turn
 * when one is unavailable; {@code http.connect.timeout.ms} (default 10000) and
 * {@code http.read.timeout.ms} (default 30000); basic auth from the URL or from
 * {@code basic.auth.user.info}; TLS stores from {@code schema.registry.ssl.*}. The server's host
 * name is always verified against its certificate.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
    /** Registrations tried after conflicts (HTTP 409) before the last refusal is thrown. */
    static final int CONFLICT_ATTEMPTS = 5;
    /** The wait before the second attempt; it doubles before each one after (750 ms over all five). */
    private static final long FIRST_CONFLICT_WAIT_MS = 50;

    private final RegistryHttpTransport transport;
    private final String urls;

    private HttpSchemaRegistryClient(RegistryHttpTransport transport, String urls) {
        this.transport = transport;
        this.urls = urls;
    }

    /**
     * @param urls   one or more comma-separated {@code http(s)://host:port[/path]} base URLs, such
     *               as {@code http://apicurio:8080/apis/ccompat/v7}
     * @param config the keys of {@link SchemaRegistryClientConfig}; other keys are ignored
     * @throws IllegalArgumentException if a URL or a setting is invalid
     */
    public static HttpSchemaRegistryClient create(String urls, Map<String, ?> config) {
        HttpClient.Builder http = HttpClient.newBuilder()
                // HTTP/1.1 because an h2c upgrade attempt confuses some proxies in front of registries.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(ConfigValues.millis(config, CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS_DEFAULT));
        SslContextFactory.fromConfig(config).ifPresent(http::sslContext);
        RegistryHttpTransport transport = new RegistryHttpTransport(RegistryEndpoint.parseAll(urls, config),
                http.build(), ConfigValues.millis(config, READ_TIMEOUT_MS, READ_TIMEOUT_MS_DEFAULT));
        return new HttpSchemaRegistryClient(transport, RegistryEndpoint.redact(urls));
    }

    /**
     * Tried again after a conflict (HTTP 409), up to {@link #CONFLICT_ATTEMPTS} times with a growing
     * wait: Apicurio now and then refuses one of several registrations made at the same moment, saying
     * the subject's artifact already exists, and goes on saying so until the registration that won has
     * committed; then the same request answers the id (ConcurrentRegistrationIT: a second attempt at
     * once was not always enough). An incompatible schema is refused every time, and the last refusal
     * is thrown, each one carrying the one before as suppressed.
     */
    @Override
    public int register(String subject, Schema schema) {
        SchemaConflictException previous = null;
        long waitMs = FIRST_CONFLICT_WAIT_MS;
        for (int attempt = 1; ; attempt++) {
            try {
                return registerOnce(subject, schema);
            } catch (SchemaConflictException conflict) {
                if (previous != null) {
                    conflict.addSuppressed(previous);
                }
                previous = conflict;
                if (attempt == CONFLICT_ATTEMPTS) {
                    throw conflict;
                }
                LOG.info("{}; registering again in {} ms", conflict.getMessage(), waitMs);
                pause(waitMs, conflict);
                waitMs *= 2;
            }
        }
    }

    private static void pause(long millis, SchemaConflictException refused) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused;
        }
    }

    private int registerOnce(String subject, Schema schema) {
        return id(transport.post("/subjects/" + pathSegment(subject) + "/versions", schemaBody(schema)),
                "registering " + schema.getFullName() + " under subject '" + subject + "'");
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return id(transport.post("/subjects/" + pathSegment(subject), schemaBody(schema)),
                "looking up " + schema.getFullName() + " under subject '" + subject + "'");
    }

    /**
     * {@inheritDoc}
     *
     * <p>A 403 for the id is the record's fault, as an unknown id is: a registry that authorizes reads per subject refuses
     * the schemas of subjects the mediator may not read, and any producer can name such an id. Waiting on it as on an
     * outage would stop every record behind it; the mediator's credentials refused outright are a 401.
     */
    @Override
    public Schema schemaById(int id) {
        JsonNode answer;
        try {
            answer = transport.get("/schemas/ids/" + id);
        } catch (RegistryForbiddenException e) {
            throw new UnusableSchemaException("Schema id " + id + " in " + urls + " is one the registry will not show this"
                    + " client: " + e.getMessage(), e);
        }
        String type = answer.path("schemaType").asText("AVRO");
        if (!"AVRO".equals(type)) {
            throw new UnusableSchemaException("Schema id " + id + " in " + urls + " is a " + type
                    + " schema, not Avro");
        }
        JsonNode text = answer.get("schema");
        if (text == null || !text.isTextual()) {
            throw new SchemaRegistryUnavailableException("Fetching schema id " + id + " from " + urls
                    + " gave no \"schema\" text: " + RegistryHttpTransport.abbreviate(answer.toString()));
        }
        try {
            return new Schema.Parser().parse(text.asText());
        } catch (AvroRuntimeException e) {
            // Not only SchemaParseException: a default of the wrong type is an AvroTypeException, and a registry that does not
            // validate what it stores (or one written to around its API) serves such text for any producer to name.
            throw new UnusableSchemaException("Schema id " + id + " in " + urls + " is not valid Avro: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return urls;
    }

    private static ObjectNode schemaBody(Schema schema) {
        // No "schemaType": AVRO is the default in every registry that speaks this API.
        return JsonNodeFactory.instance.objectNode().put("schema", schema.toString());
    }

    private int id(JsonNode answer, String doing) {
        JsonNode id = answer.get("id");
        if (id == null || !id.isIntegralNumber() || !id.canConvertToInt()) {
            throw new SchemaRegistryUnavailableException("The answer to " + doing + " in " + urls
                    + " has no integer \"id\": " + RegistryHttpTransport.abbreviate(answer.toString()));
        }
        return id.intValue();
    }

    private static String pathSegment(String subject) {
        // URLEncoder encodes for forms; a path segment wants %20, not +, for a space.
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
