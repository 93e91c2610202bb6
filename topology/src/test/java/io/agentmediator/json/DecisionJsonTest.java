package io.agentmediator.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionJsonTest {

    @Test
    void shouldWriteAnEscalationAsOneLineWithDesignFieldsInDesignOrder() {
        Decision escalation = Decision.newBuilder()
                .setIntentId("po-7")
                .setAgentId("procurement-buyer")
                .setCorrelationId("restock-q4")
                .setOutcome(DecisionOutcome.ESCALATE)
                .setTier("BOARD")
                .setReasons(List.of(
                        new Reason(ReasonCode.OVER_AUTHORITY, null, "commits 2500.00, authority is 2000.00"),
                        new Reason(ReasonCode.RULE, "large-purchase-orders", "purchase orders above \"1,000.00\"")))
                .setPolicyVersion("example-2026-11-21.1")
                .setDecidedAt(Instant.parse("2026-11-23T09:02:00.125Z"))
                .setDecidedBy("mediator")
                .setDeadline(Instant.parse("2026-11-23T13:02:00Z"))
                .setSignature(ByteBuffer.wrap(new byte[] {1, 2, 3, (byte) 0xfe}))
                .setIntentSha256("ab".repeat(32))
                .setAction("purchase.order")
                .setTarget("erp")
                .setCostMicros(50_000L)
                .setCommitmentMicros(2_500_000_000L)
                .build();

        String line = DecisionJson.write(escalation);

        assertThat(line)
                .isEqualTo("{\"intentId\":\"po-7\",\"agentId\":\"procurement-buyer\",\"correlationId\":\"restock-q4\","
                        + "\"outcome\":\"ESCALATE\",\"tier\":\"BOARD\",\"reasons\":["
                        + "{\"code\":\"OVER_AUTHORITY\",\"ruleId\":null,\"message\":\"commits 2500.00, authority is 2000.00\"},"
                        + "{\"code\":\"RULE\",\"ruleId\":\"large-purchase-orders\","
                        + "\"message\":\"purchase orders above \\\"1,000.00\\\"\"}],"
                        + "\"policyVersion\":\"example-2026-11-21.1\",\"decidedAt\":\"2026-11-23T09:02:00.125Z\","
                        + "\"decidedBy\":\"mediator\",\"deadline\":\"2026-11-23T13:02:00Z\",\"signature\":\"AQID/g==\","
                        + "\"intentSha256\":\"" + "ab".repeat(32) + "\",\"action\":\"purchase.order\",\"target\":\"erp\","
                        + "\"costMicros\":50000,\"commitmentMicros\":2500000000}");
    }

    @Test
    void shouldWriteNullForEveryFieldWithoutAValue() {
        Decision execute = Decision.newBuilder()
                .setIntentId("i-1")
                .setAgentId("a")
                .setCorrelationId("i-1")
                .setOutcome(DecisionOutcome.EXECUTE)
                .setTier(null)
                .setReasons(List.of())
                .setPolicyVersion("v1")
                .setDecidedAt(Instant.EPOCH)
                .setDecidedBy("mediator")
                .setDeadline(null)
                .setSignature(null)
                .build();

        String line = DecisionJson.write(execute);

        assertThat(line)
                .isEqualTo("{\"intentId\":\"i-1\",\"agentId\":\"a\",\"correlationId\":\"i-1\",\"outcome\":\"EXECUTE\","
                        + "\"tier\":null,\"reasons\":[],\"policyVersion\":\"v1\",\"decidedAt\":\"1970-01-01T00:00:00Z\","
                        + "\"decidedBy\":\"mediator\",\"deadline\":null,\"signature\":null,\"intentSha256\":null,\"action\":null,"
                        + "\"target\":null,\"costMicros\":null,\"commitmentMicros\":null}");
    }

    @Test
    void shouldEscapeNonAsciiSoTheBytesDoNotDependOnThePlatformEncoding() {
        Decision reject = Decision.newBuilder()
                .setIntentId("i-\u00e9")
                .setAgentId("a")
                .setCorrelationId("i-\u00e9")
                .setOutcome(DecisionOutcome.REJECT)
                .setReasons(List.of(new Reason(ReasonCode.MALFORMED, null, "cost \u2265 0 expected")))
                .setPolicyVersion("v1")
                .setDecidedAt(Instant.EPOCH)
                .setDecidedBy("mediator")
                .build();

        String line = DecisionJson.write(reject);

        assertThat(line).contains("\"intentId\":\"i-\\u00E9\"", "\"message\":\"cost \\u2265 0 expected\"");
        assertThat(line.chars()).allMatch(c -> c < 128);
    }
}
