package io.agentmediator.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentmediator.testing.CapturedLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP port stays answerable for health probes whatever other clients do (issue 14: four idle
 * connections that had sent one byte each made /health/live time out on the JDK's server), and once
 * tokens are configured only the roles an endpoint admits get past it.
 */
class HttpEndpointsTest {

    private static final String METRICS_TOKEN = "metrics-0123456789abcdef0123456789";
    private static final String APPROVER_TOKEN = "approver-0123456789abcdef012345678";
    private static final String INSTANCE_TOKEN = "instance-0123456789abcdef012345678";

    /** Generous: a probe answered at all under this load is what the old server could not do. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(PROBE_TIMEOUT).build();
    private final List<Socket> sockets = new ArrayList<>();
    private HttpEndpoints http;

    @TempDir Path dir;

    @AfterEach
    void tearDown() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (http != null) {
            http.close();
        }
    }

    @Test
    void shouldAnswerHealthWhileHundredsOfConnectionsSitIdleHalfwayThroughARequest() throws Exception {
        // Given a server, and 500 connections that each sent the first byte of a request and then nothing
        http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.off());
        http.mount("/health/live", Access.open(), call -> Reply.json(200, "{\"status\":\"UP\"}"));
        for (int i = 0; i < 500; i++) {
            Socket socket = new Socket("127.0.0.1", http.port());
            socket.getOutputStream().write('G');
            socket.getOutputStream().flush();
            sockets.add(socket);
        }

        // When a probe asks, several times over
        long[] nanos = new long[20];
        for (int i = 0; i < nanos.length; i++) {
            long begin = System.nanoTime();
            HttpResponse<String> live = get("/health/live", null);
            nanos[i] = System.nanoTime() - begin;

            // Then every probe is answered
            assertThat(live.statusCode()).isEqualTo(200);
        }
        Arrays.sort(nanos);
        System.out.printf("/health/live beside 500 idle half-sent requests: median %.1f ms, slowest %.1f ms of %d (the first opens the connection)%n",
                nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length);
    }

    @Test
    void shouldAnswerHealthWhileEveryQuerySlotIsHeldBySlowQueries() throws Exception {
        // Given a query endpoint whose answers wait (a peer that is slow to reply), and more callers than query slots
        http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.off());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch entered = new CountDownLatch(HttpEndpoints.BLOCKING_SLOTS);
        http.mount("/health/live", Access.open(), call -> Reply.json(200, "{}"));
        http.mount("/slow", Access.anyOf(Role.APPROVER), call -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{}");
        });
        List<CompletableFuture<HttpResponse<String>>> slow = new ArrayList<>();
        for (int i = 0; i < HttpEndpoints.BLOCKING_SLOTS; i++) {
            slow.add(client.sendAsync(request("/slow", null), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("every slot taken").isTrue();

        // When one more query comes, and a probe
        HttpResponse<String> oneTooMany = get("/slow", null);
        HttpResponse<String> live = get("/health/live", null);

        // Then the query is told to come back, and the probe is answered
        assertThat(oneTooMany.statusCode()).isEqualTo(503);
        assertThat(oneTooMany.headers().firstValue("Retry-After")).contains("1");
        assertThat(live.statusCode()).isEqualTo(200);
        release.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : slow) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldCloseAConnectionThatSendsNothingForTheIdleTimeout() throws Exception {
        // Given a server that closes connections idle for 300 ms
        http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofMillis(300), HttpAuthentication.off());
        http.mount("/health/live", Access.open(), call -> Reply.json(200, "{}"));

        // When a client sends half a request line and stops
        Socket socket = new Socket("127.0.0.1", http.port());
        sockets.add(socket);
        socket.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
        socket.getOutputStream().write("GET /health/li".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();

        // Then the server ends the connection, answering a 408 at most
        InputStream in = socket.getInputStream();
        String answered = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(answered).satisfiesAnyOf(text -> assertThat(text).isEmpty(), text -> assertThat(text).startsWith("HTTP/1.1 408"));
    }

    @Test
    void shouldAdmitOnlyTheRolesAnEndpointNamesOnceTokensAreConfigured() throws Exception {
        // Given token files for metrics, approvers and instances
        http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.fromFiles(Map.of(
                Role.METRICS, tokenFile("metrics", METRICS_TOKEN),
                Role.APPROVER, tokenFile("approvers", "# the approvers' tool\n" + APPROVER_TOKEN + "\n"),
                Role.INSTANCE, tokenFile("instance", INSTANCE_TOKEN))));
        http.mount("/health/live", Access.open(), call -> Reply.json(200, "{}"));
        http.mount("/metrics", Access.anyOf(Role.METRICS, Role.OPERATOR), call -> Reply.text(200, "text/plain", "up 1\n"));
        http.mount("/cases/", Access.anyOf(Role.APPROVER, Role.OPERATOR, Role.INSTANCE),
                call -> Reply.json(200, "{\"caller\":\"" + call.caller().name() + "\",\"path\":\"" + call.path() + "\"}"));

        // Then health needs no token
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        // And no token, or one no file lists, is asked for one
        HttpResponse<String> anonymous = get("/cases/c-1", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"agent-mediator\"");
        assertThat(get("/metrics", "not-a-token-anyone-was-given-0000").statusCode()).isEqualTo(401);
        // And a token of another role is refused, naming the roles that may
        HttpResponse<String> metricsReadingCases = get("/cases/c-1", METRICS_TOKEN);
        assertThat(metricsReadingCases.statusCode()).isEqualTo(403);
        assertThat(metricsReadingCases.body()).contains("approver or operator or instance");
        assertThat(get("/metrics", APPROVER_TOKEN).statusCode()).isEqualTo(403);
        HttpResponse<String> quoting = get("/cases/a%22b", METRICS_TOKEN);
        assertThat(new ObjectMapper().readTree(quoting.body()).get("error").asText()).contains("/cases/a\"b");
        // And a refused path a token holder chose is logged on one short line (Jetty answers 400 to a newline in a path, not to
        // a line separator)
        try (CapturedLog log = new CapturedLog(HttpEndpoints.class)) {
            assertThat(get("/cases/x%E2%80%A8FORGED%20LINE" + "x".repeat(6_000), METRICS_TOKEN).statusCode()).isEqualTo(403);
            assertThat(log.messages(Level.INFO)).singleElement().satisfies(line -> assertThat(line)
                    .doesNotContain("\u2028").contains("\\u2028FORGED LINE").hasSizeLessThan(1_000));
        }
        // And the roles named get through
        assertThat(get("/metrics", METRICS_TOKEN).body()).isEqualTo("up 1\n");
        assertThat(get("/cases/c-1", APPROVER_TOKEN).body()).contains("approver");
        assertThat(get("/cases/case%201", APPROVER_TOKEN).body()).as("the path decoded").contains("\"path\":\"/cases/case 1\"");
        assertThat(get("/cases/c-1", INSTANCE_TOKEN).statusCode()).isEqualTo(200);
        // And an encoded slash, allowed inside an id, separates nothing: it leads neither past the open health endpoint nor
        // into a mount by another name
        assertThat(get("/cases/orders%2F2026%2Finv-1", APPROVER_TOKEN).body()).contains("\"path\":\"/cases/orders/2026/inv-1\"");
        // So do a percent sign, a backslash and a control character, which the gate accepts in ids too
        assertThat(get("/cases/discount-15%25", APPROVER_TOKEN).body()).contains("\"path\":\"/cases/discount-15%\"");
        for (String encoded : List.of("path%5Cto", "tab%09id", "bell%07id")) {
            assertThat(get("/cases/" + encoded, APPROVER_TOKEN).statusCode()).as(encoded).isEqualTo(200);
        }
        assertThat(get("/health%5C..%5Cmetrics", null).statusCode()).isEqualTo(404);
        assertThat(get("/health%2F..%2Fmetrics", null).statusCode()).isEqualTo(404);
        assertThat(get("/health/live%2F..%2F..%2Fmetrics", null).statusCode()).isEqualTo(404);
        assertThat(get("/cases%2Fc-1", APPROVER_TOKEN).statusCode()).isEqualTo(404);
        // And a semicolon sent as it is, which Jetty reads as the start of path parameters (dropped from the decoded path), is
        // refused rather than answered for the id before it; sent as %3B it is part of the id
        HttpResponse<String> parameter = get("/cases/a;b", APPROVER_TOKEN);
        assertThat(parameter.statusCode()).isEqualTo(400);
        assertThat(parameter.body()).contains("%3B");
        assertThat(get("/cases/a;b/c", APPROVER_TOKEN).statusCode()).isEqualTo(400);
        assertThat(get("/cases/a%3Bb", APPROVER_TOKEN).body()).contains("\"path\":\"/cases/a;b\"");
    }

    @Test
    void shouldNameTheSettingToChangeWhenItsPortIsTaken() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> HttpEndpoints.start("127.0.0.1", taken.getLocalPort(), Duration.ofSeconds(30), HttpAuthentication.off()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(":" + taken.getLocalPort())
                    .hasMessageContaining("set http.port (MEDIATOR_HTTP_PORT) to another port");
        }
    }

    @Test
    void shouldRefuseOtherMethodsAndAnswer404ForPathsNobodyServes() throws Exception {
        http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.off());
        http.mount("/health/live", Access.open(), call -> Reply.json(200, "{}"));
        http.mount("/cases/", Access.open(), call -> Reply.json(200, "{}"));

        HttpResponse<String> post = client.send(HttpRequest.newBuilder(uri("/health/live")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        assertThat(get("/nothing", null).statusCode()).isEqualTo(404);
        // A mount serves its path and what lies under it, not every path that merely starts with its text
        assertThat(get("/health/live/", null).statusCode()).isEqualTo(200);
        assertThat(get("/health/liveness", null).statusCode()).isEqualTo(404);
        assertThat(get("/cases/c-1", null).statusCode()).isEqualTo(200);
        assertThat(get("/casesfile", null).statusCode()).isEqualTo(404);
    }

    private Path tokenFile(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return client.send(request(path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(PROBE_TIMEOUT).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.build();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + http.port() + path);
    }
}
