package io.agentmediator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.http.HttpAuthentication;
import io.agentmediator.http.HttpEndpoints;
import java.net.URI;
import java.time.Duration;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthEndpointsTest {

    private final HealthState health = new HealthState();
    private final HttpEndpoints server = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), HttpAuthentication.off());

    @BeforeEach
    void mount() {
        HealthEndpoints.mount(server, health);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldAnswerNotReadyWithEveryReasonUntilStreamsRunAndAPolicyIsLoaded() throws Exception {
        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"", "streams are CREATED", "no policy loaded");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerReadyWhenStreamsRunWithAPolicyAndTheRegistryAnswers() throws Exception {
        health.streamsState(KafkaStreams.State.RUNNING);
        health.policyLoaded("2026-11-21.1");

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("{\"status\":\"UP\",\"problems\":[]}");
    }

    @Test
    void shouldAnswerNotReadyWhileTheRegistryIsUnavailableWithItsErrorEscaped() throws Exception {
        health.streamsState(KafkaStreams.State.RUNNING);
        health.policyLoaded("v1");
        health.registryUnavailable("refused \"127.0.0.1:1\"");

        HttpResponse<String> ready = get("/health/ready");

        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("schema registry unavailable: refused \\\"127.0.0.1:1\\\"");
    }

    @Test
    void shouldFailLivenessOnlyWhenTheStreamsDiedForGood() throws Exception {
        health.streamsState(KafkaStreams.State.ERROR);

        assertThat(get("/health/live").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldRefuseOtherMethods() throws Exception {
        HttpResponse<String> post = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(uri("/health/ready")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
