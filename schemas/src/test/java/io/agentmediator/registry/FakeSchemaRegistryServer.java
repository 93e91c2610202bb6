package io.agentmediator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;

/**
 * A stand-in for a Confluent-compatible registry on 127.0.0.1: the three endpoints our client
 * uses, backed by an {@link InMemorySchemaRegistry}, plus a record of every request and a switch
 * that makes it answer every request with a canned failure.
 */
final class FakeSchemaRegistryServer implements AutoCloseable {

    record Request(String method, String path, String contentType, String authorization, String body) {
    }

    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(-?\\d+)");

    private final ObjectMapper json = new ObjectMapper();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("fake");
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final HttpServer server;
    private final String basePath;
    private volatile int cannedStatus;
    private volatile String cannedBody;
    private volatile long delayMillis;
    private volatile int onceStatus;
    private volatile String onceBody;
    private volatile int onceLeft;

    private FakeSchemaRegistryServer(HttpServer server, String basePath) {
        this.server = server;
        this.basePath = basePath;
        // Handlers off the dispatcher thread, so that close() can interrupt a delayed answer.
        server.setExecutor(handlers);
        server.createContext(basePath.isEmpty() ? "/" : basePath, this::handle);
        server.start();
    }

    static FakeSchemaRegistryServer http() throws IOException {
        return http("");
    }

    /** @param basePath such as {@code /apis/ccompat/v7}, as Apicurio serves the API */
    static FakeSchemaRegistryServer http(String basePath) throws IOException {
        return new FakeSchemaRegistryServer(HttpServer.create(loopback(), 0), basePath);
    }

    static FakeSchemaRegistryServer https(SSLContext tls, boolean requireClientCertificate) throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                ssl.setNeedClientAuth(requireClientCertificate);
                parameters.setSSLParameters(ssl);
            }
        });
        return new FakeSchemaRegistryServer(server, "");
    }

    String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + basePath;
    }

    /** Answers every following request with this status and body instead of doing its job. */
    void failWith(int status, String body) {
        cannedBody = body;
        cannedStatus = status;
    }

    /** Answers only the next {@code requests} requests with this status and body, as a registry does that loses a race. */
    void failNextWith(int requests, int status, String body) {
        onceBody = body;
        onceStatus = status;
        onceLeft = requests;
    }

    /** Waits this long before answering, to provoke client timeouts. */
    void delayAnswers(long millis) {
        delayMillis = millis;
    }

    int registerDirectly(String subject, Schema schema) {
        return registry.register(subject, schema);
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        handlers.shutdownNow();
        server.stop(0);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath().substring(basePath.length());
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            pause();
            if (onceLeft > 0) {
                onceLeft--;
                respond(exchange, onceStatus, onceBody);
                return;
            }
            if (cannedStatus != 0) {
                respond(exchange, cannedStatus, cannedBody);
                return;
            }
            try {
                String answer = answer(exchange.getRequestMethod(), path, body);
                if (answer == null) {
                    // What Confluent answers for a path it does not serve.
                    respond(exchange, 404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}");
                } else {
                    respond(exchange, 200, answer);
                }
            } catch (SchemaNotFoundException e) {
                int code = e.getMessage().startsWith("Subject") ? 40401 : 40403;
                respond(exchange, 404, json.createObjectNode().put("error_code", code)
                        .put("message", e.getMessage()).toString());
            }
        }
    }

    /** @return the JSON answer, or null when no endpoint matches */
    private String answer(String method, String path, String body) throws IOException {
        Matcher register = REGISTER.matcher(path);
        Matcher lookup = LOOKUP.matcher(path);
        Matcher byId = BY_ID.matcher(path);
        if (method.equals("POST") && register.matches()) {
            int id = registry.register(subject(register), schemaIn(body));
            return json.createObjectNode().put("id", id).toString();
        }
        if (method.equals("POST") && lookup.matches()) {
            Schema schema = schemaIn(body);
            int id = registry.idOf(subject(lookup), schema);
            return json.createObjectNode().put("subject", subject(lookup)).put("id", id).put("version", 1)
                    .put("schema", schema.toString()).toString();
        }
        if (method.equals("GET") && byId.matches()) {
            Schema schema = registry.schemaById(Integer.parseInt(byId.group(1)));
            return json.createObjectNode().put("schema", schema.toString()).toString();
        }
        return null;
    }

    private Schema schemaIn(String body) throws IOException {
        JsonNode request = json.readTree(body);
        return new Schema.Parser().parse(request.get("schema").asText());
    }

    private static String subject(Matcher matcher) {
        return URLDecoder.decode(matcher.group(1), StandardCharsets.UTF_8);
    }

    private void pause() {
        if (delayMillis > 0) {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
