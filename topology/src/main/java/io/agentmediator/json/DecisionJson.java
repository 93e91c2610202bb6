package io.agentmediator.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A {@link Decision} as one line of JSON, with DESIGN.md's field names in DESIGN.md's order,
 * every field present (null when it has no value), instants in ISO-8601 and the signature in
 * base64. The key order never varies, so two runs can be compared byte for byte.
 */
public final class DecisionJson {

    private DecisionJson() {}

    public static String write(Decision decision) {
        return JsonText.write(out -> {
            out.writeStartObject();
            out.writeStringField("intentId", decision.getIntentId());
            out.writeStringField("agentId", decision.getAgentId());
            out.writeStringField("correlationId", decision.getCorrelationId());
            out.writeStringField("outcome", decision.getOutcome().name());
            out.writeStringField("tier", decision.getTier());
            out.writeArrayFieldStart("reasons");
            for (Reason reason : decision.getReasons()) {
                out.writeStartObject();
                out.writeStringField("code", reason.getCode().name());
                out.writeStringField("ruleId", reason.getRuleId());
                out.writeStringField("message", reason.getMessage());
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeStringField("policyVersion", decision.getPolicyVersion());
            JsonText.writeInstantField(out, "decidedAt", decision.getDecidedAt());
            out.writeStringField("decidedBy", decision.getDecidedBy());
            JsonText.writeInstantField(out, "deadline", decision.getDeadline());
            out.writeStringField("signature", base64(decision.getSignature()));
            out.writeStringField("intentSha256", decision.getIntentSha256());
            out.writeStringField("action", decision.getAction());
            out.writeStringField("target", decision.getTarget());
            writeLongField(out, "costMicros", decision.getCostMicros());
            writeLongField(out, "commitmentMicros", decision.getCommitmentMicros());
            out.writeEndObject();
        });
    }

    private static void writeLongField(JsonGenerator out, String name, Long value) throws IOException {
        if (value == null) {
            out.writeNullField(name);
        } else {
            out.writeNumberField(name, value);
        }
    }

    private static String base64(ByteBuffer signature) {
        if (signature == null) {
            return null;
        }
        // A duplicate, so reading the bytes leaves the record's buffer as it was.
        ByteBuffer bytes = signature.duplicate();
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        return Base64.getEncoder().encodeToString(raw);
    }
}
