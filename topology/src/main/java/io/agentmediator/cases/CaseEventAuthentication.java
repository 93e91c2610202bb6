package io.agentmediator.cases;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.SignatureRequirement;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.internal.CaseEvent;
import io.agentmediator.text.Printable;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;

/**
 * The one entry to authenticating approvals and outcomes, in two halves because what they need
 * lives in two places: the record's bytes and headers where it is read ({@link CaseRouter}), the
 * case it is about in the agent's partition ({@link CaseKeeper}). A refusal found where the record
 * is read travels with the event, so the case file records it.
 */
final class CaseEventAuthentication {

    private CaseEventAuthentication() {}

    /** Where the record is read: its signature against the key registered for the id it names. */
    static Optional<String> atSource(Policy policy, CaseEvent event, byte[] value, Headers headers) {
        Optional<Refusal> refusal = event.getApproval() != null
                ? ApprovalAuthentication.signature(policy, event.getApproval(), value, headers)
                : OutcomeAuthentication.signature(policy, event.getOutcome(), value, headers);
        return refusal.map(Refusal::text);
    }

    /**
     * In the agent's partition: a refusal the event carries, or one the case shows (an approver
     * answering for itself or its own agent, an executor out of its scope).
     *
     * @param caseFile the case the event is about, or null when there is none here
     */
    static Optional<String> atCase(Policy policy, String agentId, CaseEvent event, AuditRecord caseFile) {
        if (event.getRefusal() != null) {
            return Optional.of(event.getRefusal());
        }
        if (caseFile == null) {
            return Optional.empty();
        }
        if (!caseFile.getAgentId().equals(agentId)) {
            return Optional.of(new Refusal(RefusalCode.ANOTHER_AGENTS_CASE, "it names agent " + agentId + ", and the case of intent "
                    + caseFile.getIntentId() + " here is agent " + caseFile.getAgentId() + "'s").text());
        }
        Optional<Refusal> unbound = binding(policy, event, caseFile);
        if (unbound.isPresent()) {
            return unbound.map(Refusal::text);
        }
        Optional<Refusal> refusal = event.getApproval() != null
                ? ApprovalAuthentication.authority(policy, event.getApproval(), agentId)
                : OutcomeAuthentication.authority(policy, event.getOutcome(), agentId, caseFile.getIntent());
        return refusal.map(Refusal::text);
    }

    /**
     * An answer that names the intent it answers by its SHA-256 counts for that intent only. Its signature covers the digest,
     * so an approval or outcome captured and re-sent once the agent used the id again (after {@code dedupe.retention}) is
     * refused, where by its id alone it would approve, or settle, an intent nobody answered. One that names none is refused
     * too where the policy requires the digest, since only then is every replay refused.
     */
    private static Optional<Refusal> binding(Policy policy, CaseEvent event, AuditRecord caseFile) {
        String named = event.getApproval() != null ? event.getApproval().getIntentSha256() : event.getOutcome().getIntentSha256();
        String decided = caseFile.getDecision() == null ? null : caseFile.getDecision().getIntentSha256();
        if (named == null) {
            return policy.signatures().intentSha256() == SignatureRequirement.REQUIRED
                    ? Optional.of(new Refusal(RefusalCode.UNBOUND, "it names no intentSha256, and the policy requires answers to name"
                            + " the SHA-256 of the intent they answer (signatures.intentSha256: REQUIRED); the case of intent "
                            + caseFile.getIntentId() + " here is of the one whose SHA-256 is " + decided))
                    : Optional.empty();
        }
        if (named.equalsIgnoreCase(decided)) {
            return Optional.empty();
        }
        return Optional.of(new Refusal(RefusalCode.ANOTHER_INTENT, "it answers the intent whose SHA-256 is " + Printable.escape(named)
                + ", and the case of intent " + caseFile.getIntentId() + " here is of the one whose SHA-256 is " + decided));
    }
}
