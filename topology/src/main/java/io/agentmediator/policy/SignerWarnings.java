package io.agentmediator.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * What a valid policy lets happen that its author may not mean, about who may answer and report:
 * printed by {@code policy validate}, never a reason to refuse the policy. Each warning begins
 * with a stable code.
 */
public final class SignerWarnings {

    static final String UNBOUND_ANSWERS = "UNBOUND_ANSWERS: signatures.intentSha256 is OPTIONAL: a signed approval or outcome that"
            + " names no intentSha256 answers whatever intent its id names, so one captured and written again once the agent uses the"
            + " id again (after dedupe.retention) answers an intent nobody saw; set it REQUIRED once every approver's and executor's"
            + " tool sends intentSha256";

    private SignerWarnings() {}

    public static List<String> of(Policy policy) {
        List<String> warnings = new ArrayList<>();
        SignatureRules signatures = policy.signatures();
        if (signatures.approvals() == SignatureRequirement.OPTIONAL) {
            warnings.add("SIGNATURES_OPTIONAL: signatures.approvals is OPTIONAL: an unsigned approval counts as from whoever it names;"
                    + " for development only");
        }
        if (signatures.outcomes() == SignatureRequirement.OPTIONAL) {
            warnings.add("SIGNATURES_OPTIONAL: signatures.outcomes is OPTIONAL: an unsigned outcome counts as from whoever it names;"
                    + " for development only");
        }
        for (Approver approver : policy.approvers()) {
            boolean agent = policy.agent(approver.id()).isPresent();
            boolean keyed = approver.publicKey() != null || policy.agent(approver.id()).map(AgentProfile::publicKey).isPresent();
            if (!keyed && signatures.approvals() == SignatureRequirement.REQUIRED) {
                warnings.add("NO_KEY: approver " + approver.id() + " has no publicKey, so every approval it sends is refused");
            }
            if (agent) {
                warnings.add("AGENT_APPROVER: approver " + approver.id() + " is also an agent: it never answers its own intents, and"
                        + " answers " + (approver.workers().isEmpty() ? "no other agent (it lists no workers)"
                                : "only for its workers " + approver.workers() + " up to " + approver.tier()));
            }
        }
        for (Executor executor : policy.executors()) {
            if (executor.publicKey() == null && signatures.outcomes() == SignatureRequirement.REQUIRED) {
                warnings.add("NO_KEY: executor " + executor.id() + " has no publicKey, so every outcome it reports is refused");
            }
            if (policy.agent(executor.id()).isPresent()) {
                warnings.add("AGENT_EXECUTOR: executor " + executor.id() + " is also an agent: it can report the outcomes of intents"
                        + " it proposed");
            }
        }
        if (policy.executors().isEmpty() && signatures.outcomes() == SignatureRequirement.REQUIRED) {
            warnings.add("NO_EXECUTORS: no executors are listed, so every outcome is refused and reservations are settled only"
                    + " when executed cases are forgotten");
        }
        if (signatures.intentSha256() == SignatureRequirement.OPTIONAL && (!policy.approvers().isEmpty() || !policy.executors().isEmpty())) {
            warnings.add(UNBOUND_ANSWERS);
        }
        warnings.addAll(controls(policy));
        return warnings;
    }

    private static List<String> controls(Policy policy) {
        boolean required = policy.signatures().controls() == SignatureRequirement.REQUIRED;
        if (policy.operators().isEmpty()) {
            return List.of(required
                    ? "NO_OPERATORS: signatures.controls is REQUIRED but no operators are listed, so every control (suspend, resume)"
                            + " is refused"
                    : "CONTROLS_UNSIGNED: no operators are listed, so an unsigned control (suspend, resume) counts as from whoever"
                            + " it names; list operators with their publicKey to require signed controls");
        }
        return required ? List.of() : List.of("SIGNATURES_OPTIONAL: signatures.controls is OPTIONAL: an unsigned control (suspend,"
                + " resume) counts as from whoever it names; for development only");
    }
}
