package io.agentmediator.http;

import io.agentmediator.testing.SteppedClock;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.agentmediator.health.HealthState;
import io.agentmediator.metrics.MediatorMetrics;
import io.agentmediator.metrics.MetricsHandler;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.HttpGet;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token files read again when they change, as a rotated Kubernetes Secret changes them, without a restart. */
class TokenReloadTest {

    private static final String OLD = "old-token-0123456789abcdef0123";
    private static final String NEW = "new-token-0123456789abcdef0123";
    private static final String INSTANCE = "instance-0123456789abcdef0123";
    private static final String NEXT_INSTANCE = "instance-next-0123456789abcdef";
    private static final String METRICS = "metrics-token-0123456789abcdef";
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final String FAILURES = "mediator_http_token_reload_failures_total";

    @TempDir Path dir;

    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-11-23T09:00:00Z"));
    private Path approvers;
    private Path instance;
    private HttpAuthentication authentication;

    @BeforeEach
    void setUp() throws IOException {
        approvers = Files.writeString(dir.resolve("approvers"), OLD + "\n");
        instance = Files.writeString(dir.resolve("instance"), INSTANCE + "\n");
        authentication = HttpAuthentication.fromFiles(Map.of(Role.APPROVER, approvers, Role.INSTANCE, instance), INTERVAL, clock);
    }

    @Test
    void shouldPutAChangedFileInForceOnceTheIntervalHasPassed() throws IOException {
        // Given the approvers' token rotated and a new instance token put first
        Files.writeString(approvers, NEW + "\n");
        Files.writeString(instance, NEXT_INSTANCE + "\n" + INSTANCE + "\n");

        // When less than the interval has passed, then the old tokens are still the ones
        clock.advance(INTERVAL.minusSeconds(1));
        assertThat(approver(OLD)).isTrue();
        assertThat(approver(NEW)).isFalse();

        // When it has passed, then the new ones are in force, the old approver token no longer, and instances send the new one
        clock.advance(Duration.ofSeconds(1));
        assertThat(approver(NEW)).isTrue();
        assertThat(approver(OLD)).isFalse();
        assertThat(authentication.instanceAuthorization()).contains("Bearer " + NEXT_INSTANCE);
        assertThat(authentication.caller("Bearer " + INSTANCE).has(Role.INSTANCE)).as("the old instance token, second line").isTrue();
    }

    @Test
    void shouldRevokeTheTokensOfARoleWhoseFileIsEmptied() throws IOException {
        try (CapturedLog log = new CapturedLog(ReloadingTokens.class)) {
            // Given the approvers' file emptied, as an operator switches off a leaked token
            Files.writeString(approvers, "# revoked: the token leaked\n");

            // When the interval passes
            clock.advance(INTERVAL);

            // Then no approver token counts, it is said, and it is no failure; the instance token still counts
            assertThat(approver(OLD)).isFalse();
            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line ->
                    assertThat(line).contains(approvers.toString(), "holds no token", "approver", "revoked"));
            assertThat(authentication.reloadFailures()).isZero();
            assertThat(authentication.caller("Bearer " + INSTANCE).has(Role.INSTANCE)).isTrue();

            // When a new token is written, then it is in force
            Files.writeString(approvers, NEW + "\n");
            clock.advance(INTERVAL);
            assertThat(approver(NEW)).isTrue();
            assertThat(approver(OLD)).isFalse();
        }
    }

    @Test
    void shouldRevokeAnEmptiedFileWhileAnotherCannotBeUsed() throws IOException {
        try (CapturedLog log = new CapturedLog(ReloadingTokens.class)) {
            // Given in the same interval the approvers' file emptied and the instance file too, which cannot be,
            // as instances present its first token to each other
            Files.writeString(approvers, "");
            Files.writeString(instance, "");

            // When the interval passes
            clock.advance(INTERVAL);

            // Then the approvers' tokens are revoked all the same, and the instance token stays, counted as a failure
            assertThat(approver(OLD)).isFalse();
            assertThat(authentication.instanceAuthorization()).contains("Bearer " + INSTANCE);
            assertThat(authentication.caller("Bearer " + INSTANCE).has(Role.INSTANCE)).isTrue();
            assertThat(authentication.reloadFailures()).isOne();
            assertThat(log.messages(Level.WARN)).anySatisfy(line ->
                    assertThat(line).contains("cannot be used", "instance token file", "holds no token", "replace"));
        }
    }

    @Test
    void shouldStartWithTheRoleOfAnEmptyFileRevokedSoThatARestartKeepsItSo() throws IOException {
        // Given the approvers' file emptied before a restart
        Files.writeString(approvers, "");

        // When the mediator starts on it
        authentication = HttpAuthentication.fromFiles(Map.of(Role.APPROVER, approvers, Role.INSTANCE, instance), INTERVAL, clock);

        // Then it starts, and nobody is an approver
        assertThat(approver(OLD)).isFalse();
        assertThat(authentication.caller("Bearer " + INSTANCE).has(Role.INSTANCE)).isTrue();
    }

    @Test
    void shouldKeepTheTokensInForceWhenTheChangedFileCannotBeUsedAndLogItOnce() throws IOException {
        try (CapturedLog log = new CapturedLog(ReloadingTokens.class)) {
            // Given the approvers' file holding a token too short to be one, a typo
            Files.writeString(approvers, "secret\n");

            // When two intervals pass
            clock.advance(INTERVAL);
            assertThat(approver(OLD)).isTrue();
            clock.advance(INTERVAL);
            assertThat(approver(OLD)).isTrue();

            // Then it was said once, and the old token still counts
            assertThat(log.messages(Level.WARN)).singleElement().satisfies(line ->
                    assertThat(line).contains("cannot be used", "at least 24", approvers.toString()));

            // When the file is deleted, as a key removed from the Secret, then that too is said once, and the old token still counts
            Files.delete(approvers);
            clock.advance(INTERVAL);
            assertThat(approver(OLD)).isTrue();
            clock.advance(INTERVAL);
            assertThat(approver(OLD)).isTrue();
            assertThat(log.messages(Level.WARN)).hasSize(2).last().asString().contains("cannot be read");

            // When a good file comes back, then it is in force
            Files.writeString(approvers, NEW + "\n");
            clock.advance(INTERVAL);
            assertThat(approver(NEW)).isTrue();
            assertThat(approver(OLD)).isFalse();
        }
    }

    @Test
    void shouldCountAChangeThatCannotBeUsedOnceInTheMetricsItKeepsServing() throws Exception {
        // Given /metrics served as MediatorApp serves it, to a metrics token
        Path metricsTokens = Files.writeString(dir.resolve("metrics"), METRICS + "\n");
        HttpAuthentication served = HttpAuthentication.fromFiles(Map.of(Role.METRICS, metricsTokens, Role.INSTANCE, instance), INTERVAL, clock);
        try (MediatorMetrics metrics = new MediatorMetrics(new HealthState(), 10, clock);
             HttpEndpoints http = HttpEndpoints.start("127.0.0.1", 0, Duration.ofSeconds(30), served)) {
            metrics.readTokenReloads(served);
            http.mount("/metrics", MetricsHandler.ACCESS, new MetricsHandler(metrics));
            assertThat(scrape(http).body()).contains(FAILURES + " 0.0");

            // When the metrics file gets a token too short to be one, and is scraped over two intervals
            Files.writeString(metricsTokens, "secret\n");
            clock.advance(INTERVAL);
            scrape(http);
            clock.advance(INTERVAL);
            HttpResponse<String> scrape = scrape(http);

            // Then the old token still opens /metrics, which counts the unusable change once
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains(FAILURES + " 1.0");

            // When a good file comes back, then nothing more is counted
            Files.writeString(metricsTokens, METRICS + "\n");
            clock.advance(INTERVAL);
            assertThat(scrape(http).body()).contains(FAILURES + " 1.0");
        }
    }

    private static HttpResponse<String> scrape(HttpEndpoints http) throws Exception {
        return HttpGet.get(http.port(), "/metrics", "Authorization", "Bearer " + METRICS);
    }

    private boolean approver(String token) {
        return authentication.caller("Bearer " + token).has(Role.APPROVER);
    }
}
