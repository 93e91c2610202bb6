package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.testing.TestKeys;
import io.agentmediator.signing.Ed25519Keys;
import java.time.Instant;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** What {@code suspend} and {@code resume} put on the controls topic, signed or not. */
class ControlPublisherTest {

    private static final Control CONTROL = new Control(ControlAction.SUSPEND, "runaway", "alice", Instant.parse("2026-11-23T09:00:00Z"));

    @Test
    void shouldSendAControlTheLoaderReadsAsSignedByItsOperator() {
        // When
        ProducerRecord<String, String> record = ControlPublisher.record("agent.controls", "bot", CONTROL, TestKeys.privateKey("alice"));

        // Then the JSON reads back and the headers verify with alice's key, for this scope only
        Control sent = Control.fromJson(record.value());
        assertThat(sent).isEqualTo(CONTROL);
        assertThat(ControlSignatures.verify("bot", sent, record.headers(),
                Ed25519Keys.publicKeyFromBase64(TestKeys.publicKey("alice"))).valid()).isTrue();
        assertThat(ControlSignatures.verify("*", sent, record.headers(),
                Ed25519Keys.publicKeyFromBase64(TestKeys.publicKey("alice"))).valid()).isFalse();
    }

    @Test
    void shouldSendNoSignatureWithoutAKey() {
        // When
        ProducerRecord<String, String> record = ControlPublisher.record("agent.controls", "bot", CONTROL, null);

        // Then
        assertThat(ControlSignatures.signed(record.headers())).isFalse();
        assertThat(record.key()).isEqualTo("bot");
    }
}
