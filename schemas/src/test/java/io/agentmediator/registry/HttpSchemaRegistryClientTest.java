package io.agentmediator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.registry.FakeSchemaRegistryServer.Request;
import io.agentmediator.schema.Approval;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpSchemaRegistryClientTest {

    private static final Schema APPROVAL = Approval.getClassSchema();
    private static final Schema PING = new Schema.Parser().parse("""
            {"type": "record", "name": "Ping", "namespace": "test", "fields": [{"name": "n", "type": "int"}]}""");
    private static final String SUBJECT = "agent.approvals-value";

    private final ObjectMapper json = new ObjectMapper();
    private FakeSchemaRegistryServer registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeSchemaRegistryServer.http();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldRegisterASchemaAndFetchItBackById() throws IOException {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When
        int id = client.register(SUBJECT, APPROVAL);
        Schema fetched = client.schemaById(id);

        // Then
        assertThat(id).isEqualTo(1);
        assertThat(fetched).isEqualTo(APPROVAL);
        Request registration = registry.requests().get(0);
        assertThat(registration.method()).isEqualTo("POST");
        assertThat(registration.path()).isEqualTo("/subjects/agent.approvals-value/versions");
        assertThat(registration.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        JsonNode body = json.readTree(registration.body());
        assertThat(body.get("schema").asText()).isEqualTo(APPROVAL.toString());
        assertThat(body.has("schemaType")).as("AVRO is the default, so it is left out").isFalse();
        assertThat(registry.requests().get(1).path()).isEqualTo("/schemas/ids/1");
    }

    @Test
    void shouldLookUpAnIdWithoutRegistering() {
        // Given
        registry.registerDirectly("other-value", PING);
        int id = registry.registerDirectly(SUBJECT, APPROVAL);
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When
        int found = client.idOf(SUBJECT, APPROVAL);

        // Then
        assertThat(found).isEqualTo(id).isEqualTo(2);
        assertThat(registry.requests()).extracting(Request::method, Request::path)
                .containsExactly(tuple("POST", "/subjects/agent.approvals-value"));
    }

    @Test
    void shouldAskTheRegistryOnlyOnceForTheSameAnswer() {
        // Given a cached client, and a schema registered by someone else
        SchemaRegistryClient client = SchemaRegistryClients.forUrl(registry.url(), Map.of());
        int foreignId = registry.registerDirectly("other-value", PING);

        // When
        int id = client.register(SUBJECT, APPROVAL);
        client.register(SUBJECT, APPROVAL);
        client.idOf(SUBJECT, APPROVAL);
        client.schemaById(id);
        client.schemaById(foreignId);
        client.schemaById(foreignId);

        // Then one registration and one fetch of the schema this client did not register
        assertThat(registry.requests()).extracting(Request::path)
                .containsExactly("/subjects/agent.approvals-value/versions", "/schemas/ids/" + foreignId);
    }

    @Test
    void shouldSendBasicAuthFromUserInfo() {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of(
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "mediator:s3cret"));

        // When
        client.register(SUBJECT, APPROVAL);

        // Then
        assertThat(registry.requests().get(0).authorization()).isEqualTo("Basic " + base64("mediator:s3cret"));
    }

    @Test
    void shouldSendBasicAuthFromTheUrlWithoutShowingIt() {
        // Given credentials in the URL, with a percent-encoded '@'
        String url = registry.url().replace("http://", "http://mediator:p%40ss@");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(url, Map.of());

        // When
        client.register(SUBJECT, APPROVAL);

        // Then
        assertThat(registry.requests().get(0).authorization()).isEqualTo("Basic " + base64("mediator:p@ss"));
        assertThat(client.toString()).doesNotContain("p%40ss").contains("***@127.0.0.1");
    }

    /** Past 100 years, twice the read timeout (what a call waits for a whole answer) overflowed: an answering registry gave none within -2 ms. */
    @ParameterizedTest
    @CsvSource({"http.read.timeout.ms, 0", "http.read.timeout.ms, 3153600000001", "http.read.timeout.ms, 9223372036854775807",
            "http.connect.timeout.ms, -1", "http.connect.timeout.ms, 9223372036854775807"})
    void shouldRefuseATimeoutOutsideItsBoundsNamingTheKey(String key, String value) {
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(registry.url(), Map.of(key, value)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(key + " must be from 1 to 3153600000000 milliseconds, got " + value);
    }

    @Test
    void shouldAnswerWithinTheLongestReadTimeout() {
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of("http.read.timeout.ms", "3153600000000"));

        assertThat(client.register(SUBJECT, APPROVAL)).isPositive();
    }

    @Test
    void shouldRefuseUserInfoSourceWithoutUserInfo() {
        // When / Then
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(registry.url(),
                Map.of("basic.auth.credentials.source", "USER_INFO")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void shouldReportAnUnknownIdAsNotFound() {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.schemaById(42))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("GET " + registry.url() + "/schemas/ids/42")
                .hasMessageContaining("HTTP 404 (error 40403)");
    }

    @Test
    void shouldReportAnUnknownSubjectAsNotFound() {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.idOf(SUBJECT, APPROVAL))
                .isInstanceOf(SchemaNotFoundException.class)
                .hasMessageContaining("error 40401");
    }

    @Test
    void shouldServeTheApiUnderABasePathAsApicurioDoes() throws IOException {
        // Given a registry under /apis/ccompat/v7, configured with a trailing slash
        try (FakeSchemaRegistryServer apicurio = FakeSchemaRegistryServer.http("/apis/ccompat/v7")) {
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(apicurio.url() + "/", Map.of());

            // When
            int id = client.register(SUBJECT, APPROVAL);

            // Then
            assertThat(client.schemaById(id)).isEqualTo(APPROVAL);
        }
    }

    @Test
    void shouldReportAWrongBasePathAsUnavailableRatherThanAMissingSchema() throws IOException {
        // Given a registry under /apis/ccompat/v7, configured without that path
        try (FakeSchemaRegistryServer apicurio = FakeSchemaRegistryServer.http("/apis/ccompat/v7")) {
            String rootUrl = apicurio.url().replace("/apis/ccompat/v7", "");
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(rootUrl, Map.of());

            // When / Then: a plain 404 must not dead-letter every record as "schema not found", nor as anything else
            assertThatThrownBy(() -> client.schemaById(1))
                    .isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("HTTP 404");
        }
    }

    /**
     * None of these is the fault of the record whose schema was asked for: had they been thrown as plain refusals, the
     * mediator's readers dead-lettered good intents and approvals while credentials were rotated or an ingress misrouted.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "401 | {\"error_code\": 40101, \"message\": \"Unauthorized\"}",
            "302 | ''",
            "200 | <html><body>Sign in to continue</body></html>",
            "200 | {\"unexpected\": true}"})
    void shouldReportAnAnswerThatIsNoFaultOfTheRecordAsUnavailable(int status, String body) {
        registry.failWith(status, body);
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        assertThatThrownBy(() -> client.schemaById(1)).isExactlyInstanceOf(SchemaRegistryUnavailableException.class);
    }

    /**
     * A registry that authorizes reads per subject refuses the schemas of subjects the mediator may not read, and any
     * producer can name such an id: the record's fault, like an unknown id, or one record would stop all behind it. The
     * same 403 for the mediator's own subjects is its configuration, waited on.
     */
    @Test
    void shouldReportASchemaIdTheRegistryWillNotShowAsTheRecordsFaultAndItsOwnSubjectsAsUnavailable() {
        registry.failWith(403, "{\"error_code\": 40301, \"message\": \"User cannot access the resource.\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        assertThatThrownBy(() -> client.schemaById(7)).isExactlyInstanceOf(UnusableSchemaException.class)
                .hasMessageContaining("Schema id 7").hasMessageContaining("HTTP 403");
        assertThatThrownBy(() -> client.register(SUBJECT, APPROVAL)).isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HTTP 403");
    }

    /** Held whole, a proxy streaming a large file at the registry's URL would fill the heap of every instance asking. */
    @Test
    void shouldReportAnAnswerLongerThanAnySchemaAsUnavailable() {
        registry.failWith(200, "{\"schema\": \"" + "x".repeat(RegistryHttpTransport.MAX_ANSWER_BYTES) + "\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        assertThatThrownBy(() -> client.schemaById(1)).isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("longer than " + RegistryHttpTransport.MAX_ANSWER_BYTES + " bytes");
    }

    /** The JDK's request timeout ends at the headers: a registry that stalls in its body held the calling thread for ever. */
    @Test
    void shouldGiveUpOnAnAnswerWhoseBodyStallsAsUnavailable() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread stalling = new Thread(() -> stallAfterHeaders(server, release), "stalling-registry");
            stalling.setDaemon(true);
            stalling.start();
            SchemaRegistryClient client = HttpSchemaRegistryClient.create("http://127.0.0.1:" + server.getLocalPort(),
                    Map.of("http.read.timeout.ms", "300"));

            CompletableFuture<Schema> call = CompletableFuture.supplyAsync(() -> client.schemaById(1));

            // Far longer than the read timeout, so that only a call that never returns fails this
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(SchemaRegistryUnavailableException.class).hasMessageContaining("no whole answer within 600 ms");
        } finally {
            release.countDown();
        }
    }

    /** Answers the first request with its headers and the start of a body, then nothing, as a registry that died mid-answer. */
    private static void stallAfterHeaders(ServerSocket server, CountDownLatch release) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            int matched = 0;
            while (matched < end.length) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.schemaregistry.v1+json\r\nContent-Length: 200\r\n\r\n"
                    + "{\"schema\": ").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            release.await(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldReportASchemaThatIsNotAvroAsUnusableTheRecordsFaultNotTheConfigurations() {
        // Given ids the registry answers with a Protobuf schema and with text that is not Avro
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        registry.failWith(200, "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}");
        assertThatThrownBy(() -> client.schemaById(7)).isExactlyInstanceOf(UnusableSchemaException.class).hasMessageContaining("PROTOBUF");
        registry.failWith(200, "{\"schema\": \"{\\\"type\\\": \\\"nonsense\\\"}\"}");
        assertThatThrownBy(() -> client.schemaById(8)).isExactlyInstanceOf(UnusableSchemaException.class).hasMessageContaining("not valid Avro");
        // Avro refuses a default of the wrong type with an AvroTypeException, which is not a SchemaParseException
        registry.failWith(200, "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"R\\\", \\\"fields\\\":"
                + " [{\\\"name\\\": \\\"n\\\", \\\"type\\\": \\\"int\\\", \\\"default\\\": \\\"x\\\"}]}\"}");
        assertThatThrownBy(() -> client.schemaById(9)).isExactlyInstanceOf(UnusableSchemaException.class).hasMessageContaining("not valid Avro");
    }

    @Test
    void shouldTakeAnErrorWithoutTheRegistrysCodeForAnOutageNotARefusal() {
        // Given a proxy in front of the registry that answers with its own pages: nginx's for http:// sent to a TLS port, a 405, a 407
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());
        for (int status : new int[] {400, 405, 407, 409, 422}) {
            registry.failWith(status, "<html><head><title>" + status + " Bad Request</title></head><body><center>nginx</center></body></html>");

            // When / Then nothing in it is about the schema or the record: it is waited out as the registry being unavailable
            assertThatThrownBy(() -> client.schemaById(1)).as("HTTP %s", status).isExactlyInstanceOf(SchemaRegistryUnavailableException.class)
                    .hasMessageContaining("answered HTTP " + status);
        }
    }

    @Test
    void shouldReportARejectedSchemaWithTheRegistrysMessage() {
        // Given
        registry.failWith(422, "{\"error_code\": 42201, \"message\": \"Invalid schema: no type\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.register(SUBJECT, APPROVAL))
                .isExactlyInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 422 (error 42201): Invalid schema: no type");
    }

    @Test
    void shouldRegisterAgainAfterConflictsAsApicurioAnswersWhileAnotherRegistrationOfTheSubjectCommits() {
        // Given a registry that loses a race with another registration of the same content, and answers so until it has committed
        registry.failNextWith(HttpSchemaRegistryClient.CONFLICT_ATTEMPTS - 1, 409,
                "{\"error_code\": 409, \"message\": \"An artifact with ID '" + SUBJECT + "' already exists.\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When
        int id = client.register(SUBJECT, APPROVAL);

        // Then the last attempt registered it
        assertThat(client.schemaById(id)).isEqualTo(APPROVAL);
        assertThat(registry.requests()).filteredOn(request -> request.method().equals("POST")).hasSize(HttpSchemaRegistryClient.CONFLICT_ATTEMPTS);
    }

    @Test
    void shouldReportAnIncompatibleSchemaAfterTheLastRefusal() {
        // Given
        registry.failWith(409, "{\"error_code\": 409, \"message\": \"Schema being registered is incompatible with an earlier schema\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.register(SUBJECT, APPROVAL))
                .isInstanceOf(SchemaRegistryException.class)
                .hasMessageContaining("HTTP 409 (error 409): Schema being registered is incompatible");
        assertThat(registry.requests()).hasSize(HttpSchemaRegistryClient.CONFLICT_ATTEMPTS);
    }

    @Test
    void shouldReportAServerErrorAsUnavailable() {
        // Given
        registry.failWith(500, "{\"error_code\": 50001, \"message\": \"Error in the backend data store\"}");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HTTP 500 (error 50001): Error in the backend data store");
    }

    @Test
    void shouldReportARefusedConnectionAsUnavailable() throws IOException {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(deadUrl(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("ConnectException");
    }

    @Test
    void shouldReportAStoppedRegistryAsUnavailable() {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(), Map.of());
        client.register(SUBJECT, APPROVAL);

        // When
        registry.close();

        // Then
        assertThatThrownBy(() -> client.schemaById(1)).isInstanceOf(SchemaRegistryUnavailableException.class);
    }

    @Test
    void shouldReportASlowRegistryAsUnavailable() {
        // Given
        registry.delayAnswers(5_000);
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(registry.url(),
                Map.of("http.read.timeout.ms", "200"));

        // When / Then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining("HttpTimeoutException");
    }

    @Test
    void shouldUseTheSecondUrlWhenTheFirstIsDown() throws IOException {
        // Given
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(deadUrl() + "," + registry.url(), Map.of());

        // When
        int id = client.register(SUBJECT, APPROVAL);

        // Then
        assertThat(client.schemaById(id)).isEqualTo(APPROVAL);
        assertThat(registry.requests()).hasSize(2);
    }

    @Test
    void shouldKeepUsingTheUrlThatAnswered() throws IOException {
        // Given a first registry node that fails
        try (FakeSchemaRegistryServer failing = FakeSchemaRegistryServer.http()) {
            failing.failWith(503, "");
            SchemaRegistryClient client = HttpSchemaRegistryClient.create(failing.url() + "," + registry.url(), Map.of());

            // When
            client.register(SUBJECT, APPROVAL);
            client.register(SUBJECT, PING);

            // Then the failing node was only tried once
            assertThat(failing.requests()).hasSize(1);
            assertThat(registry.requests()).hasSize(2);
        }
    }

    @Test
    void shouldNameEveryUrlWhenNoneAnswers() throws IOException {
        // Given
        String first = deadUrl();
        registry.failWith(503, "Service Unavailable");
        SchemaRegistryClient client = HttpSchemaRegistryClient.create(first + "," + registry.url(), Map.of());

        // When / Then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(SchemaRegistryUnavailableException.class)
                .hasMessageContaining(first)
                .hasMessageContaining(registry.url() + "/schemas/ids/1 answered HTTP 503: Service Unavailable")
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
    }

    @Test
    void shouldRejectAUrlThatIsNotHttp() {
        // When / Then
        assertThatThrownBy(() -> HttpSchemaRegistryClient.create(registry.url() + ",ftp://user:pw@host", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'ftp://***@host'")
                .hasMessageNotContaining("pw");
    }

    /** A loopback URL on which nothing listens, so connecting is refused at once. */
    private static String deadUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
