package io.agentmediator.backtest;

import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.signing.IntentSignatures;
import io.agentmediator.topics.Topics;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * Approvals and outcomes as a cluster's producers write them, under the schema ids the cluster's
 * registry gave them, and the raw backtest lines that replay them byte for byte: a signature over those
 * bytes is one no JSON line can carry, since the backtest numbers its own schemas.
 */
final class CapturedRecords {

    private CapturedRecords() {}

    static byte[] approval(int schemaId, Approval approval) {
        return topics(schemaId, "agent.approvals-value", Approval.getClassSchema()).approvalSerde().serializer()
                .serialize("agent.approvals", approval);
    }

    static byte[] outcome(int schemaId, Outcome outcome) {
        return topics(schemaId, "agent.outcomes-value", Outcome.getClassSchema()).outcomeSerde().serializer()
                .serialize("agent.outcomes", outcome);
    }

    static String signature(byte[] value, PrivateKey key) {
        return new String(IntentSignatures.sign(value, key), StandardCharsets.US_ASCII);
    }

    /** {@code value} from {@code topic} ("approvals", "outcomes"), signed as {@code keyId} with {@code signature}. */
    static String raw(String at, String topic, String key, byte[] value, String signature, String keyId) {
        return "{\"type\":\"raw\",\"at\":\"" + at + "\",\"topic\":\"" + topic + "\",\"key\":\"" + key + "\",\"value\":\""
                + Base64.getEncoder().encodeToString(value) + "\",\"headers\":{\"" + IntentSignatures.SIGNATURE_HEADER + "\":\""
                + signature + "\",\"" + IntentSignatures.KEY_ID_HEADER + "\":\"" + keyId + "\"}}";
    }

    private static Topics topics(int schemaId, String subject, org.apache.avro.Schema schema) {
        InMemorySchemaRegistry cluster = new InMemorySchemaRegistry("cluster");
        cluster.registerAs(schemaId, subject, schema);
        return new Topics("agent.", cluster);
    }
}
