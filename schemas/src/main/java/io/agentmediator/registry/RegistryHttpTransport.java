package io.agentmediator.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.common.errors.InterruptException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one JSON request to the registry, failing over between its URLs, and turns every answer
 * into either parsed JSON or the registry exception that says whose fault the failure is.
 *
 * <p>Unavailable is every failure that is no fault of what was asked: an I/O error, no headers within
 * the read timeout or no whole answer within twice it (the JDK's request timeout ends at the headers,
 * and a registry that stalled in its body held a stream thread for ever), an answer longer than any
 * schema (a proxy streaming a file would have been held in memory whole), HTTP 5xx, 408, 429, a refusal of
 * the mediator's credentials (401, and 403 but for a schema a record names: see the client), a redirect,
 * a 404 without the registry's own error code (a
 * wrong base URL, an ingress between deployments), or a 2xx whose body is not JSON (a proxy's page).
 * A record is dead-lettered only for what is its own fault, and a good one must not be while the
 * registry is misconfigured: it waits instead, and the health check says why.
 *
 * <p>The next URL is tried only when one is unavailable: a "not found" or a conflict from one node
 * would be the same from the others. The URL that last answered is tried first, so a dead node costs
 * a connect attempt once rather than on every request.
 */
final class RegistryHttpTransport {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpTransport.class);

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final int SUBJECT_NOT_FOUND = 40401;
    private static final int SCHEMA_NOT_FOUND = 40403;
    private static final int MAX_BODY_IN_MESSAGE = 300;
    /** The longest answer read: a schema is kilobytes; Avro's own limits aside, none of ours comes near a megabyte. */
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    private final ObjectMapper json = new ObjectMapper();
    private final List<RegistryEndpoint> endpoints;
    private final HttpClient http;
    private final Duration readTimeout;
    private final AtomicInteger preferred = new AtomicInteger();

    RegistryHttpTransport(List<RegistryEndpoint> endpoints, HttpClient http, Duration readTimeout) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("At least one schema registry URL is needed");
        }
        this.endpoints = List.copyOf(endpoints);
        this.http = http;
        this.readTimeout = readTimeout;
    }

    JsonNode get(String path) {
        return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    JsonNode post(String path, JsonNode body) {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private JsonNode send(String method, String path, HttpRequest.BodyPublisher body) {
        int first = preferred.get();
        List<SchemaRegistryUnavailableException> failures = new ArrayList<>();
        for (int attempt = 0; attempt < endpoints.size(); attempt++) {
            int index = (first + attempt) % endpoints.size();
            try {
                JsonNode answer = sendOnce(endpoints.get(index), method, path, body);
                preferred.set(index);
                return answer;
            } catch (SchemaRegistryUnavailableException e) {
                if (attempt + 1 < endpoints.size()) {
                    LOG.warn("{}; trying the next schema registry URL", e.getMessage());
                }
                failures.add(e);
            }
        }
        throw allFailed(failures);
    }

    private JsonNode sendOnce(RegistryEndpoint endpoint, String method, String path,
            HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(readTimeout)
                .header("Accept", ACCEPT)
                .header("Content-Type", CONTENT_TYPE)
                .method(method, body);
        endpoint.authorize(request);
        String call = method + " " + endpoint + path;
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request.build(), BoundedBody.handler(MAX_ANSWER_BYTES));
        HttpResponse<String> response;
        try {
            // The request's own timeout covers the headers; the body gets as long again.
            response = pending.get(2 * readTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new SchemaRegistryUnavailableException(call + " gave no whole answer within " + 2 * readTimeout.toMillis()
                    + " ms (twice http.read.timeout.ms)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new SchemaRegistryUnavailableException(call + " failed: " + describe(io), io);
            }
            throw new SchemaRegistryUnavailableException(call + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw new InterruptException("Interrupted during " + call, e);
        }
        return interpret(call, response);
    }

    private JsonNode interpret(String call, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            try {
                return json.readTree(response.body());
            } catch (JsonProcessingException e) {
                throw new SchemaRegistryUnavailableException(call + " answered HTTP " + status
                        + " with a body that is not JSON: " + abbreviate(response.body()), e);
            }
        }
        RegistryError error = RegistryError.parse(json, response.body());
        String message = call + " answered HTTP " + status + error;
        if (status == 404 && (error.code() == SUBJECT_NOT_FOUND || error.code() == SCHEMA_NOT_FOUND)) {
            throw new SchemaNotFoundException(message);
        }
        if (status == 403) {
            throw new RegistryForbiddenException(message);
        }
        // An answer without the registry's error code is not the registry's (a proxy's page: nginx's 400 for http:// sent to its
        // TLS port, a 405 or 407): nothing it says is about the schema or the record, so it is waited out like an outage.
        if (status >= 500 || status == 408 || status == 429 || status / 100 == 3 || status == 401 || status == 404 || error.code() == -1) {
            throw new SchemaRegistryUnavailableException(message);
        }
        if (status == 409) {
            throw new SchemaConflictException(message);
        }
        throw new SchemaRegistryException(message);
    }

    private static SchemaRegistryUnavailableException allFailed(
            List<SchemaRegistryUnavailableException> failures) {
        if (failures.size() == 1) {
            return failures.get(0);
        }
        SchemaRegistryUnavailableException all = new SchemaRegistryUnavailableException(
                "No schema registry URL answered: " + failures.stream()
                        .map(Throwable::getMessage).collect(Collectors.joining("; ")),
                failures.get(0));
        failures.subList(1, failures.size()).forEach(all::addSuppressed);
        return all;
    }

    private static String describe(IOException e) {
        // The JDK client's ConnectException often has no message; its type says enough.
        return e.getMessage() == null ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    static String abbreviate(String text) {
        return text.length() <= MAX_BODY_IN_MESSAGE ? text : text.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }

    /** The Confluent error body, {@code {"error_code": 40403, "message": "..."}}, if there is one. */
    private record RegistryError(int code, String message) {

        static RegistryError parse(ObjectMapper json, String body) {
            try {
                JsonNode node = json.readTree(body);
                if (node != null && node.isObject()) {
                    return new RegistryError(node.path("error_code").asInt(-1), node.path("message").asText(""));
                }
            } catch (JsonProcessingException e) {
                // An HTML page from a proxy or a wrong path: the raw body is the best message left.
                return new RegistryError(-1, abbreviate(body));
            }
            return new RegistryError(-1, abbreviate(body));
        }

        @Override
        public String toString() {
            String codePart = code == -1 ? "" : " (error " + code + ")";
            return codePart + (message.isBlank() ? "" : ": " + message);
        }
    }
}
