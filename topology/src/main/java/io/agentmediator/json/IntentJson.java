package io.agentmediator.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An {@link AgentIntent} as JSON, with DESIGN.md's field names, for people and tools that write
 * intents by hand (backtest files, examples).
 *
 * <p>Only what the Avro record cannot hold is refused here: a missing required field, a value of
 * the wrong JSON type, an unparsable instant, an unknown field. Values that fit the record but
 * make no sense (a negative cost, a confidence above 1, a blank id) are let through on purpose, so
 * the gate answers them MALFORMED exactly as it would on the topic.
 */
public final class IntentJson {

    /** The fields, in DESIGN.md's order: the order they are written in. */
    private static final List<String> FIELDS =
            List.of(
                    "intentId",
                    "agentId",
                    "correlationId",
                    "action",
                    "target",
                    "costMicros",
                    "commitmentMicros",
                    "confidence",
                    "reasoning",
                    "alternatives",
                    "dataClasses",
                    "departments",
                    "claims",
                    "dependsOn",
                    "attributes",
                    "expiresAt");

    private static final List<String> CLAIM_FIELDS = List.of("resourceId", "quantity", "from", "until");

    private IntentJson() {}

    /**
     * The intent a JSON object describes.
     *
     * @param path where the object sits in its document (such as {@code intent}), for messages
     * @throws JsonInputException naming the field, when the object cannot be an intent
     */
    public static AgentIntent read(JsonNode node, String path) {
        JsonFields intent = JsonFields.object(node, path).allowOnly(FIELDS);
        return AgentIntent.newBuilder()
                .setIntentId(intent.requiredString("intentId"))
                .setAgentId(intent.requiredString("agentId"))
                .setCorrelationId(intent.optionalString("correlationId"))
                .setAction(intent.requiredString("action"))
                .setTarget(intent.requiredString("target"))
                .setCostMicros(intent.requiredLong("costMicros"))
                .setCommitmentMicros(Objects.requireNonNullElse(intent.optionalLong("commitmentMicros"), 0L))
                .setConfidence(intent.requiredDouble("confidence"))
                .setReasoning(intent.optionalString("reasoning"))
                .setAlternatives(intent.strings("alternatives"))
                .setDataClasses(intent.strings("dataClasses"))
                .setDepartments(intent.strings("departments"))
                .setClaims(intent.objects("claims").stream().map(IntentJson::claim).toList())
                .setDependsOn(intent.strings("dependsOn"))
                .setAttributes(intent.stringMap("attributes"))
                .setExpiresAt(intent.optionalInstant("expiresAt"))
                .build();
    }

    private static ResourceClaim claim(JsonFields fields) {
        JsonFields claim = fields.allowOnly(CLAIM_FIELDS);
        return ResourceClaim.newBuilder()
                .setResourceId(claim.requiredString("resourceId"))
                .setQuantity(Objects.requireNonNullElse(claim.optionalLong("quantity"), 1L))
                .setFrom(claim.optionalInstant("from"))
                .setUntil(claim.optionalInstant("until"))
                .build();
    }

    /** One line of JSON, every field present (absent optionals as null), attributes sorted by key. */
    public static String write(AgentIntent intent) {
        return JsonText.write(out -> {
            out.writeStartObject();
            out.writeStringField("intentId", intent.getIntentId());
            out.writeStringField("agentId", intent.getAgentId());
            out.writeStringField("correlationId", intent.getCorrelationId());
            out.writeStringField("action", intent.getAction());
            out.writeStringField("target", intent.getTarget());
            out.writeNumberField("costMicros", intent.getCostMicros());
            out.writeNumberField("commitmentMicros", intent.getCommitmentMicros());
            out.writeNumberField("confidence", intent.getConfidence());
            out.writeStringField("reasoning", intent.getReasoning());
            writeStrings(out, "alternatives", intent.getAlternatives());
            writeStrings(out, "dataClasses", intent.getDataClasses());
            writeStrings(out, "departments", intent.getDepartments());
            out.writeArrayFieldStart("claims");
            for (ResourceClaim claim : intent.getClaims()) {
                out.writeStartObject();
                out.writeStringField("resourceId", claim.getResourceId());
                out.writeNumberField("quantity", claim.getQuantity());
                JsonText.writeInstantField(out, "from", claim.getFrom());
                JsonText.writeInstantField(out, "until", claim.getUntil());
                out.writeEndObject();
            }
            out.writeEndArray();
            writeStrings(out, "dependsOn", intent.getDependsOn());
            out.writeObjectFieldStart("attributes");
            // Avro hands maps back in hash order; sorting keeps the text stable.
            for (Map.Entry<String, String> attribute : new TreeMap<>(intent.getAttributes()).entrySet()) {
                out.writeStringField(attribute.getKey(), attribute.getValue());
            }
            out.writeEndObject();
            JsonText.writeInstantField(out, "expiresAt", intent.getExpiresAt());
            out.writeEndObject();
        });
    }

    private static void writeStrings(JsonGenerator out, String name, List<String> values) throws IOException {
        out.writeArrayFieldStart(name);
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }
}
