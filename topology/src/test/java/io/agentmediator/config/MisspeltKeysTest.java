package io.agentmediator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MisspeltKeysTest {

    @Test
    void shouldRefuseAKeyTwoEditsFromOneOfOursNamingBothAndTheDefaultItWouldKeep() {
        MediatorConfig config = MediatorConfig.layered(Map.of("limits.waitnig.max", "50"), Map.of(), Map.of());

        assertThatThrownBy(() -> MisspeltKeys.refuse(config))
                .hasMessageContaining("unknown setting \"limits.waitnig.max\"")
                .hasMessageContaining("MEDIATOR_LIMITS_WAITNIG_MAX")
                .hasMessageContaining("did you mean limits.waiting.max?")
                .hasMessageContaining("\"1000\"");
    }

    @Test
    void shouldFindAMisspellingInTheEnvironmentToo() {
        MediatorConfig config = MediatorConfig.layered(Map.of(), Map.of("MEDIATOR_CASE_RETENTON", "P60D"), Map.of());

        assertThat(MisspeltKeys.find(config)).hasValueSatisfying(message -> assertThat(message).contains("did you mean case.retention?"));
    }

    @Test
    void shouldLetKafkasOwnKeysPrefixedOrNotAndKeysFarFromOursPass() {
        MediatorConfig config = MediatorConfig.layered(Map.of(
                "num.stream.threads", "2",
                "producer.max.request.size", "2097152",
                "main.consumer.max.poll.records", "500",
                "topic.min.insync.replicas", "2",
                "security.protocol", "SASL_SSL",
                "basic.auth.user.info", "user:secret"), Map.of(), Map.of());

        assertThat(MisspeltKeys.find(config)).isEmpty();
    }

    @Test
    void shouldCountASwapOfNeighboursAsOneEdit() {
        assertThat(MisspeltKeys.edits("retention", "retnetion")).isEqualTo(1);
        assertThat(MisspeltKeys.edits("retention", "retention")).isZero();
        assertThat(MisspeltKeys.edits("http.port", "http.host")).isEqualTo(2);
        assertThat(MisspeltKeys.edits("dedupe", "case.retention")).isGreaterThan(2);
    }
}
