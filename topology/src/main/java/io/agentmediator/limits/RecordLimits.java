package io.agentmediator.limits;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** What each kind of incoming record breaks of the {@link InputLimits}: nothing, or a sentence per limit. */
public final class RecordLimits {

    private final InputLimits limits;

    public RecordLimits(InputLimits limits) {
        this.limits = limits;
    }

    public InputLimits limits() {
        return limits;
    }

    /** The limits {@code key} (the record key, as the agent sent it) and {@code intent} break. */
    public List<String> ofIntent(String key, AgentIntent intent) {
        Findings findings = new Findings(limits);
        findings.id("the record key", key);
        findings.id("intentId", intent.getIntentId());
        findings.id("agentId", intent.getAgentId());
        findings.id("correlationId", intent.getCorrelationId());
        findings.text(intent.getAction());
        findings.text(intent.getTarget());
        findings.text(intent.getReasoning());
        findings.count("claims", intent.getClaims().size(), limits.claimsMax(), ConfigKeys.LIMITS_CLAIMS_MAX.name());
        findings.count("dependsOn", intent.getDependsOn().size(), limits.dependsOnMax(), ConfigKeys.LIMITS_DEPENDS_ON_MAX.name());
        findings.count("attributes", intent.getAttributes().size(), limits.attributesMax(), ConfigKeys.LIMITS_ATTRIBUTES_MAX.name());
        findings.count("alternatives", intent.getAlternatives().size(), limits.alternativesMax(), ConfigKeys.LIMITS_ALTERNATIVES_MAX.name());
        findings.count("dataClasses", intent.getDataClasses().size(), limits.dataClassesMax(), ConfigKeys.LIMITS_DATA_CLASSES_MAX.name());
        findings.count("departments", intent.getDepartments().size(), limits.dataClassesMax(), ConfigKeys.LIMITS_DATA_CLASSES_MAX.name());
        findings.ids("dependsOn", intent.getDependsOn());
        List<ResourceClaim> claims = intent.getClaims();
        for (int i = 0; i < claims.size(); i++) {
            findings.id("claims[" + i + "].resourceId", claims.get(i).getResourceId());
        }
        findings.texts(intent.getAlternatives());
        findings.texts(intent.getDataClasses());
        findings.texts(intent.getDepartments());
        for (Map.Entry<String, String> attribute : intent.getAttributes().entrySet()) {
            findings.text(attribute.getKey());
            findings.text(attribute.getValue());
        }
        // Amounts on intents are judged by the gate's well-formed check, with the other field rules.
        return findings.problems();
    }

    /**
     * The limit a record key's bytes break: being UTF-8. Read leniently, every invalid sequence becomes U+FFFD, so keys of
     * different bytes, placed on different partitions, would name one agent, whose state each partition would then keep
     * apart from the other's.
     */
    public static List<String> ofKey(byte[] key) {
        if (key == null || Utf8.strict(key).isPresent()) {
            return List.of();
        }
        return List.of("the record key is not valid UTF-8, so it names no agent: invalid bytes read as U+FFFD");
    }

    /**
     * The most bytes an intent's headers (names and values together) may take. Nothing else bounds them, and a
     * client may send a megabyte of them compressed: an intent waiting for its dependencies keeps its headers in
     * the {@code waiting-intents} store, whose changelog refused such a record, which stopped the stream thread on
     * that intent at every retry. A signature and a key id take about a hundred; tracing headers a few more.
     */
    public static final int HEADERS_MAX_BYTES = 64 * 1024;

    /** The limit an intent's {@code headers} break: their size. */
    public List<String> ofHeaders(Headers headers) {
        long bytes = 0;
        for (Header header : headers) {
            bytes += header.key().getBytes(StandardCharsets.UTF_8).length + (header.value() == null ? 0 : header.value().length);
        }
        return bytes <= HEADERS_MAX_BYTES ? List.of()
                : List.of("the record's headers take " + bytes + " bytes, more than the " + HEADERS_MAX_BYTES + " an intent may carry");
    }

    public List<String> ofApproval(Approval approval) {
        Findings findings = new Findings(limits);
        findings.id("intentId", approval.getIntentId());
        findings.id("approverId", approval.getApproverId());
        findings.id("agentId", approval.getAgentId());
        findings.id("intentSha256", approval.getIntentSha256());
        findings.text(approval.getComment());
        return findings.problems();
    }

    public List<String> ofOutcome(Outcome outcome) {
        Findings findings = new Findings(limits);
        findings.id("intentId", outcome.getIntentId());
        findings.id("reportedBy", outcome.getReportedBy());
        findings.id("agentId", outcome.getAgentId());
        findings.id("intentSha256", outcome.getIntentSha256());
        findings.text(outcome.getDetail());
        findings.amount("actualCostMicros", outcome.getActualCostMicros());
        return findings.problems();
    }
}
