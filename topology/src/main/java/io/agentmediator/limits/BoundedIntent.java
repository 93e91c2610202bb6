package io.agentmediator.limits;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ResourceClaim;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A copy of an intent over its limits that is small enough to decide, store and publish: it is
 * rejected MALFORMED, and its case file, decision and dedupe entry are made from this copy. Each
 * string longer than an id may be is replaced by its start, its length and a digest of the whole
 * (so two different oversized ids stay two ids), and each list keeps its first entries.
 */
public final class BoundedIntent {

    private static final int KEPT_CHARS = 32;

    private BoundedIntent() {}

    public static AgentIntent of(AgentIntent intent, InputLimits limits) {
        int max = limits.idMaxChars();
        Map<String, String> attributes = new LinkedHashMap<>();
        intent.getAttributes().entrySet().stream().limit(limits.attributesMax())
                .forEach(entry -> attributes.put(bounded(entry.getKey(), max), bounded(entry.getValue(), max)));
        List<ResourceClaim> claims = intent.getClaims().stream().limit(limits.claimsMax())
                .map(claim -> ResourceClaim.newBuilder(claim).setResourceId(bounded(claim.getResourceId(), max)).build())
                .toList();
        return AgentIntent.newBuilder(intent)
                .setIntentId(bounded(intent.getIntentId(), max))
                .setAgentId(bounded(intent.getAgentId(), max))
                .setCorrelationId(bounded(intent.getCorrelationId(), max))
                .setAction(bounded(intent.getAction(), max))
                .setTarget(bounded(intent.getTarget(), max))
                .setReasoning(bounded(intent.getReasoning(), max))
                .setAlternatives(bounded(intent.getAlternatives(), limits.alternativesMax(), max))
                .setDataClasses(bounded(intent.getDataClasses(), limits.dataClassesMax(), max))
                .setDepartments(bounded(intent.getDepartments(), limits.dataClassesMax(), max))
                .setDependsOn(bounded(intent.getDependsOn(), limits.dependsOnMax(), max))
                .setClaims(claims)
                .setAttributes(attributes)
                .build();
    }

    /** {@code value} itself when it has at most {@code max} characters, else a short stand-in naming its length and digest. */
    public static String bounded(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int kept = Math.min(KEPT_CHARS, max);
        if (Character.isHighSurrogate(value.charAt(kept - 1))) {
            kept--;
        }
        String standIn = value.substring(0, kept) + "…[" + value.length() + " chars, sha-256 "
                + sha256(value).substring(0, 16) + "]";
        return standIn.length() <= max ? standIn : standIn.substring(standIn.length() - max);
    }

    private static List<String> bounded(List<String> values, int count, int max) {
        return values.stream().limit(count).map(value -> bounded(value, max)).toList();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
