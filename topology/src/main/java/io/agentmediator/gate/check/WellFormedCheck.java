package io.agentmediator.gate.check;

import io.agentmediator.audit.AuditKeys;
import io.agentmediator.gate.GateInput;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.text.Printable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * MALFORMED: an intent the Avro schema could represent but that makes no sense — a blank id,
 * a negative amount, a confidence outside 0..1, a claim of nothing — or one over the
 * {@link InputLimits} the intake found. Every bad field is named.
 */
public final class WellFormedCheck implements RejectCheck {

    /** Characters of a resource id the NFC rejection shows, each as up to six: from a little before where its spellings part. */
    private static final int SHOWN_CHARS = 48;
    private static final int SHOWN_BEFORE = 16;

    @Override
    public String name() {
        return "well-formed";
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        AgentIntent intent = input.intent();
        List<String> problems = new ArrayList<>(input.overLimits());
        blank(problems, "intentId", intent.getIntentId());
        if (intent.getIntentId() != null) {
            AuditKeys.reservedForm(intent.getIntentId()).ifPresent(problems::add);
        }
        blank(problems, "agentId", intent.getAgentId());
        blank(problems, "action", intent.getAction());
        blank(problems, "target", intent.getTarget());
        if (intent.getCostMicros() < 0) {
            problems.add("costMicros is negative (" + intent.getCostMicros() + ")");
        }
        if (intent.getCommitmentMicros() < 0) {
            problems.add("commitmentMicros is negative (" + intent.getCommitmentMicros() + ")");
        }
        if (intent.getCostMicros() > InputLimits.MAX_AMOUNT_MICROS) {
            problems.add("costMicros is above the largest amount accepted, " + InputLimits.MAX_AMOUNT_MICROS);
        }
        if (intent.getCommitmentMicros() > InputLimits.MAX_AMOUNT_MICROS) {
            problems.add("commitmentMicros is above the largest amount accepted, " + InputLimits.MAX_AMOUNT_MICROS);
        }
        double confidence = intent.getConfidence();
        if (Double.isNaN(confidence) || confidence < 0.0 || confidence > 1.0) {
            problems.add("confidence must be within 0..1 (was " + confidence + ")");
        }
        List<ResourceClaim> claims = intent.getClaims();
        for (int i = 0; i < claims.size(); i++) {
            ResourceClaim claim = claims.get(i);
            blank(problems, "claims[" + i + "].resourceId", claim.getResourceId());
            if (claim.getResourceId() != null && !Normalizer.isNormalized(claim.getResourceId(), Normalizer.Form.NFC)) {
                // The ledger meets claims on one resource by its id: the same name spelled with other code points (an
                // accent as a letter of its own, or combined with the letter before) would be another resource, and both
                // spellings could be booked to capacity at once.
                String resourceId = claim.getResourceId();
                String nfc = Normalizer.normalize(resourceId, Normalizer.Form.NFC);
                int from = shownFrom(resourceId, nfc);
                problems.add("claims[" + i + "].resourceId is not in Unicode normalization form C (NFC): send " + shown(nfc, from)
                        + ", not " + shown(resourceId, from) + " (as in a JSON string, non-ASCII as \\u escapes), as the same name in"
                        + " other code points would count as another resource");
            }
            if (claim.getQuantity() < 1) {
                problems.add("claims[" + i + "].quantity must be at least 1 (was " + claim.getQuantity() + ")");
            }
            if (claim.getFrom() != null && claim.getUntil() != null && !claim.getFrom().isBefore(claim.getUntil())) {
                problems.add("claims[" + i + "] window is empty: from " + claim.getFrom() + " is not before until " + claim.getUntil());
            }
        }
        List<String> dependsOn = intent.getDependsOn();
        for (int i = 0; i < dependsOn.size(); i++) {
            blank(problems, "dependsOn[" + i + "]", dependsOn.get(i));
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(ReasonCode.MALFORMED, "malformed intent: " + String.join("; ", problems)));
    }

    /** Where to start showing the two spellings: a few characters before the first that differs, so a long id shows it. */
    private static int shownFrom(String sent, String nfc) {
        int same = 0;
        while (same < sent.length() && same < nfc.length() && sent.charAt(same) == nfc.charAt(same)) {
            same++;
        }
        int from = Math.max(0, same - SHOWN_BEFORE);
        return from > 0 && Character.isLowSurrogate(sent.charAt(from)) ? from - 1 : from;
    }

    private static String shown(String text, int from) {
        return (from > 0 ? "..." : "") + Printable.quoted(text.substring(from), SHOWN_CHARS);
    }

    private static void blank(List<String> problems, String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is blank");
        }
    }
}
