package io.agentmediator.controls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.testing.CapturedLog;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import io.agentmediator.topics.TopicSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/**
 * A refused control is one log line of bounded length whatever the record carried: a refusal may quote a header, and no
 * header of a control has a bound of its own. Through the whole topology.
 */
class ControlRefusalLogTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "control-refusal-log-1"
            tiers: [MANAGER]
            agents:
              - { id: runaway, capabilities: { actions: ["*"], targets: ["*"] } }
            operators:
              - { id: alice, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("alice"));

    @Test
    void aControlWithAKeyIdHeaderOfHalfAMegabyteIsRefusedInAShortLine() {
        try (PipelineDriver mediator = new PipelineDriver(POLICY, T0)) {
            // Given alice's valid signature under a key id header nobody issued
            Control suspend = new Control(ControlAction.SUSPEND, "drill", "alice", T0);
            Headers headers = new RecordHeaders();
            headers.add(ControlSignatures.sign("runaway", suspend, TestKeys.privateKey("alice")).lastHeader(IntentSignatures.SIGNATURE_HEADER));
            headers.add(IntentSignatures.KEY_ID_HEADER, "k".repeat(500_000).getBytes(StandardCharsets.UTF_8));

            try (CapturedLog log = new CapturedLog(ControlAcceptor.class)) {
                // When
                mediator.pipe(new TopicSpec<>(mediator.topics().controls().name(), Serdes.ByteArray(), Serdes.ByteArray(), true),
                        "runaway".getBytes(StandardCharsets.UTF_8), suspend.toJson().getBytes(StandardCharsets.UTF_8), headers, T0);

                // Then
                assertThat(log.messages(Level.WARN)).singleElement().satisfies(line -> assertThat(line)
                        .hasSizeLessThan(1_500).contains("refused (SIGNATURE_INVALID)").contains(" chars]"));
            }
        }
    }
}
