package io.agentmediator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.health.HealthState;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Settings the start used to pass on to Kafka, Jetty or a scheduler as they were, which failed only once the cluster was
 * reached (subjects registered, topics created) or later (every stream thread dying at its first punctuation or
 * changelog, an idle timeout of 0 ms that is none). No broker answers here: a setting refused before the cluster is
 * named at once, where one that is not ends in the provisioning's timeout, naming no key.
 */
class SettingsRefusedBeforeTheClusterTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "policy.file|''",
            "state.dir|''",
            "state.dir|'  '",
            "topic.prefix|agent/",
            "topic.prefix|'agent. '",
            "application.id|agent mediator",
            "application.id|agent/mediator",
            "application.id|''",
            "topic.internal.purge.interval|PT0.0001S",
            "housekeeping.interval|PT0.0001S",
            "escalation.check.interval|PT0.0009S",
            "http.idle.timeout|PT0.0001S",
            "dedupe.retention|PT0.0001S",
            "registry.retry.max.ms|9223372036854775807"})
    void aSettingKafkaOrJettyWouldRefuseLaterIsNamedBeforeTheCluster(String key, String value) throws Exception {
        assertRefusedBeforeTheCluster(key, value);
    }

    /** Kafka takes topic names of 249 characters at most: the prefix's topics, and the changelogs named after the application id. */
    @Test
    void aNameThatMakesATopicNameTooLongIsNamedBeforeTheCluster() throws Exception {
        assertRefusedBeforeTheCluster("topic.prefix", "a".repeat(240));
        assertRefusedBeforeTheCluster("application.id", "a".repeat(220));
    }

    private static void assertRefusedBeforeTheCluster(String key, String value) throws Exception {
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of(), Map.of(
                key, value, "bootstrap.servers", "127.0.0.1:1", "http.port", "0",
                "default.api.timeout.ms", "5000", "request.timeout.ms", "3000"));

        Throwable refused = CompletableFuture.supplyAsync(() -> {
            try (MediatorApp app = MediatorApp.start(config, new HealthState())) {
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        }).get(60, TimeUnit.SECONDS);

        assertThat(refused).as(key + "=" + value).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
    }
}
