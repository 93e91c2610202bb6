package io.agentmediator.gate;

import io.agentmediator.gate.check.CapabilitiesCheck;
import io.agentmediator.gate.check.IntentIdPrefixCheck;
import io.agentmediator.gate.check.Rejection;
import io.agentmediator.gate.check.SignedIntentCheck;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.Policy;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleInput;
import io.agentmediator.rules.RuleMode;
import io.agentmediator.rules.RuleOutcome;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.Ed25519Keys;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Whether the policy in force still lets the agent do what an intent decided under an earlier one asks. An intent finished
 * later (its claims answered by the resource ledger, its escalation approved) is executed under the policy in force, and
 * the decision carries that version: a policy that has since taken the action, the target or a data class away from the
 * agent (or a data flow), or requires its intent ids to name it, must not appear on an EXECUTE of it. The agent being
 * suspended or dropped is the bar's
 * ({@code Suspensions.bar}), checked first.
 */
public final class StillAllowed {

    private static final CapabilitiesCheck CAPABILITIES = new CapabilitiesCheck();
    private static final IntentIdPrefixCheck ID_NAMES_AGENT = new IntentIdPrefixCheck();
    private static final SignedIntentCheck SIGNATURE = new SignedIntentCheck();
    /**
     * What a case file records as {@code verifiedWith} for an intent of an agent the policy let speak without a key: not a
     * fingerprint (16 hex digits), so a version that compares it with one refuses as this one does.
     */
    public static final String UNSIGNED = "unsigned";
    /** One entry for every agent key any policy in force has named: a handful, rotations included. */
    private static final Map<PublicKey, String> FINGERPRINTS = new ConcurrentHashMap<>();

    private StillAllowed() {}

    /**
     * A refusal and the check that made it, named as the gate names it, so that a case file's checks read the same whether the
     * intent was refused at the gate or when its claims were answered.
     */
    public record Refusal(String check, Rejection rejection) {}

    /**
     * Why {@code inForce} forbids {@code intent} of {@code agentId}; empty when it allows it, or does not list the agent.
     * {@code verifiedWith}: the fingerprint of the key that verified the intent's signature when it was checked,
     * {@link #UNSIGNED} when none had to, or null when the case file does not say.
     */
    public static Optional<Refusal> rejection(Policy inForce, String agentId, AgentIntent intent, Instant at, String verifiedWith) {
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty() || intent == null) {
            return Optional.empty();
        }
        Optional<Rejection> replaced = keyReplaced(inForce, agent.get(), verifiedWith);
        if (replaced.isPresent()) {
            return replaced.map(rejection -> new Refusal(SIGNATURE.name(), rejection));
        }
        GateInput input = new GateInput(agentId, intent, null, new RecordHeaders(), at, inForce, agent.get());
        // A policy that has since required the agent's intent ids to name it (defaults.intentIdPrefix) refuses an id that does
        // not, as the gate now would: its completion would finish a task under another agent's name.
        return ID_NAMES_AGENT.check(input).map(rejection -> new Refusal(ID_NAMES_AGENT.name(), rejection))
                .or(() -> CAPABILITIES.check(input).map(rejection -> new Refusal(CAPABILITIES.name(), rejection)));
    }

    /**
     * The first enforced REJECT rule of {@code inForce} that fires for the intent, when {@code inForce} is another policy than
     * the one it was {@code decided} under (escalated, or parked for its claims): reject outranks escalate, so a rule published
     * since (a vendor frozen after an incident) keeps it from being executed under that policy's version. The rule judges the
     * intent as the gate judged it: at the time it was decided, with the agent's budgets as its case file shows them then (its
     * own reservation in them). Not as they stand now: then a rule its own policy had too, which let it through, rejected it
     * once the agent had spent more and any other version was published (an approver added), and while claiming, by what
     * intents that came after it reserved before the ledger answered. Under the policy it was decided under nothing is judged
     * again. A rule that escalates stops nothing: a person answers, or will. A REJECT rule that cannot be evaluated (an
     * error, or stopped at a limit) stops it, as at the gate an error fails closed: it might have fired, and an intent that
     * makes it fail (a list padded past the cost limit) would otherwise be executed past it; unless that rule could not
     * judge it at the gate either, which escalated it for that to the person who now answers. Empty too when
     * the policy does not list the agent (the bar's), or nothing says what it was decided under (a case file of an older version).
     */
    public static Optional<Refusal> ruleRejection(Policy inForce, AuditRecord decidedCase) {
        String agentId = decidedCase.getAgentId();
        AgentIntent intent = decidedCase.getIntent();
        Decision decided = decidedCase.getDecision();
        Optional<AgentProfile> agent = inForce.agent(agentId);
        if (agent.isEmpty() || intent == null || decided == null || inForce.version().equals(decided.getPolicyVersion())) {
            return Optional.empty();
        }
        RuleInput input = new RuleInput(intent, agent.get().ruleAgent(), RuleBudgets.ofCaseFile(decidedCase.getBudgets(), agentId),
                decided.getDecidedAt());
        List<RuleOutcome> rejecting = inForce.compiledRules().evaluate(input).stream()
                .filter(outcome -> outcome.rule().mode() == RuleMode.ENFORCE && outcome.rule().effect() == RuleEffect.REJECT)
                .toList();
        Optional<Rejection> fired = rejecting.stream()
                .filter(outcome -> outcome.status() == RuleOutcome.Status.FIRED)
                .findFirst()
                .map(outcome -> new Rejection(ReasonCode.RULE, (outcome.rule().message() == null ? "rule matched"
                        : outcome.rule().message()) + " (rule " + outcome.rule().id() + ")", outcome.rule().id()));
        // A rule that could not judge the intent at the gate either escalated it for that: the approver answered it knowing.
        Set<String> erredAtTheGate = decided.getReasons().stream().filter(reason -> reason.getCode() == ReasonCode.RULE_ERROR)
                .map(Reason::getRuleId).collect(Collectors.toSet());
        return fired.or(() -> rejecting.stream()
                .filter(outcome -> outcome.status() == RuleOutcome.Status.ERROR && !erredAtTheGate.contains(outcome.rule().id()))
                .findFirst()
                .map(outcome -> new Rejection(ReasonCode.RULE_ERROR, "rule " + outcome.rule().id() + " could not be evaluated: "
                        + outcome.detail() + "; it may reject this intent", outcome.rule().id())))
                .map(rejection -> new Refusal(GateDecider.ruleCheck(rejection.ruleId()), rejection));
    }

    /**
     * The policy in force gives the agent another key than the one that verified the intent: rotated, typically after a
     * theft. Its intents signed with the old key are refused from then on, and one checked before, finished later (its
     * claims answered, its escalation approved), must not be executed either. So with an intent that needed no signature:
     * a key given to the agent since says that only what it signs speaks for it, and anyone who could write
     * {@code agent.intents} could have written that one (an intent waiting on its dependencies is checked again for the same
     * reason). Nothing when nothing says how it was verified (a case file from before the fingerprint was kept), or when the
     * agent need not sign any more.
     */
    private static Optional<Rejection> keyReplaced(Policy inForce, AgentProfile agent, String verifiedWith) {
        if (verifiedWith == null || agent.publicKey() == null) {
            return Optional.empty();
        }
        String inPolicy = fingerprint(agent.publicKey());
        if (inPolicy.equals(verifiedWith)) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(ReasonCode.SIGNATURE_INVALID, UNSIGNED.equals(verifiedWith)
                ? "its intent was not signed, as agent \"" + agent.id() + "\" needed no key then: policy " + inForce.version()
                        + " gives it the key " + inPolicy + ", so only what it signs speaks for it"
                : "the key its intent was signed with (" + verifiedWith + ") is no longer the agent's: policy " + inForce.version()
                        + " gives it " + inPolicy));
    }

    /**
     * What the intent of {@code agentId} was verified with under {@code inForce}: the fingerprint of the key it gives the
     * agent, or {@link #UNSIGNED} when the agent need not sign.
     */
    static String verifiedWith(Policy inForce, String agentId) {
        return inForce.agent(agentId).map(AgentProfile::publicKey).map(StillAllowed::fingerprint).orElse(UNSIGNED);
    }

    /** Kept per key, as every intent with claims records it: a digest each would be paid on the hot path. */
    private static String fingerprint(PublicKey key) {
        return FINGERPRINTS.computeIfAbsent(key, Ed25519Keys::fingerprint);
    }
}
