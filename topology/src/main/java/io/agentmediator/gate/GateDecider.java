package io.agentmediator.gate;

import io.agentmediator.decision.Verdict;
import io.agentmediator.budget.Admission;
import io.agentmediator.budget.BudgetLedger;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.gate.check.AgentKnownCheck;
import io.agentmediator.gate.check.AuthorityCheck;
import io.agentmediator.gate.check.CapabilitiesCheck;
import io.agentmediator.gate.check.ConfidenceCheck;
import io.agentmediator.gate.check.CrossDepartmentCheck;
import io.agentmediator.gate.check.Escalation;
import io.agentmediator.gate.check.EscalationCheck;
import io.agentmediator.gate.check.ExpiryCheck;
import io.agentmediator.gate.check.IntentIdPrefixCheck;
import io.agentmediator.gate.check.KeyMatchCheck;
import io.agentmediator.budget.Money;
import io.agentmediator.gate.check.RejectCheck;
import io.agentmediator.gate.check.ReplayWindowCheck;
import io.agentmediator.gate.check.Rejection;
import io.agentmediator.gate.check.SignedIntentCheck;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.gate.check.SuspendedCheck;
import io.agentmediator.gate.check.WellFormedCheck;
import io.agentmediator.ledger.ClaimPlan;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.AgentProfile;
import io.agentmediator.policy.IntentIdPrefix;
import io.agentmediator.policy.Policy;
import io.agentmediator.rules.Rule;
import io.agentmediator.rules.RuleEffect;
import io.agentmediator.rules.RuleMode;
import io.agentmediator.ratelimit.RateDecision;
import io.agentmediator.ratelimit.TokenBucket;
import io.agentmediator.rules.RuleInput;
import io.agentmediator.rules.RuleOutcome;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides one intent in DESIGN.md's order: well-formed, key, intent id prefix, duplicate, expiry, agent known,
 * suspended, signature, capabilities, rate limit, budgets (reserve), enforced REJECT rules —
 * the first that rejects decides — then the escalation reasons accumulate (authority,
 * confidence, departments, ESCALATE rules, rules that failed to evaluate) and the highest tier
 * wins. No reason: EXECUTE.
 *
 * <p>Pure but for the state it is handed: no clock (the record timestamp is the time), no store,
 * so the same input, state and policy always give the same answer.
 */
public final class GateDecider {

    static final String DUPLICATE = "not-duplicate";
    static final String RATE_LIMIT = "rate-limit";
    static final String BUDGET = "budget";
    static final String DEPENDENCIES = "dependencies";
    static final String KEPT = "kept-in-memory";

    /**
     * Checks of the record and the policy's rules for ids, before the gate's state: an intent one of them refuses is not its
     * agent's to decide under its id (a broken or foreign id, another agent's key), so its id is not remembered and its case
     * file is filed under where it was read.
     */
    private final List<RejectCheck> beforeDuplicate = List.of(new WellFormedCheck(), new KeyMatchCheck());
    /** Among those, but asked only of a policy that sets {@code defaults.intentIdPrefix}: every other case file is spared the line. */
    private final RejectCheck idNamesAgent = new IntentIdPrefixCheck();
    private final RejectCheck expiry = new ExpiryCheck();
    private final RejectCheck agentKnown = new AgentKnownCheck();
    private final RejectCheck signature = new SignedIntentCheck();
    private final RejectCheck suspended;
    private final List<RejectCheck> agentChecks;
    private final int waitingMax;
    private final long keptBytesMax;
    private final List<EscalationCheck> escalations = List.of(new AuthorityCheck(), new ConfidenceCheck(), new CrossDepartmentCheck());

    /**
     * A decider under the kill switches of {@code suspensions}.
     *
     * @param dedupeRetention how long intent ids are remembered: signed intents may not expire later than that after arriving
     */
    /**
     * @param limits how many of one agent's intents may wait for their dependencies at once ({@code limits.waiting.max}), and
     *               how many bytes may be kept in memory for one agent ({@code limits.agent.kept.bytes})
     */
    public GateDecider(Suspensions suspensions, Duration dedupeRetention, InputLimits limits) {
        suspended = new SuspendedCheck(suspensions);
        agentChecks = List.of(suspended, signature, new ReplayWindowCheck(dedupeRetention), new CapabilitiesCheck());
        this.waitingMax = limits.waitingMax();
        this.keptBytesMax = limits.agentKeptBytes();
    }

    /** With the documented limits (a unit test of the gate). */
    public GateDecider(Suspensions suspensions, Duration dedupeRetention) {
        this(suspensions, dedupeRetention, InputLimits.DEFAULTS);
    }

    /** With no kill switch but the policy's own {@code suspended} and the documented dedupe.retention (a benchmark, a unit test). */
    public GateDecider() {
        this(new Suspensions(), Duration.parse(ConfigKeys.DEDUPE_RETENTION.defaultValue()));
    }

    public GateResult decide(GateInput input, GateState state) {
        Case story = new Case();
        // An intent that waited had its id remembered, and its case file filed under it, when it began to wait: whatever
        // refuses it now (a policy that changed meanwhile: its agent removed, its key rotated, defaults.intentIdPrefix turned
        // on), its rejection closes that case file, so it counts as decided.
        boolean waited = input.resumed();
        for (RejectCheck check : beforeDuplicate) {
            if (story.rejectedBy(check, input)) {
                return story.rejected(waited);
            }
        }
        if (input.policy().defaults().intentIdPrefix() != IntentIdPrefix.NONE && story.rejectedBy(idNamesAgent, input)) {
            return story.rejected(waited);
        }
        AgentIntent intent = input.intent();
        if (!input.resumed() && state.alreadyDecided(intent.getIntentId())) {
            Rejection duplicate = new Rejection(ReasonCode.DUPLICATE,
                    "intent " + intent.getIntentId() + " was decided before; this retry changes nothing");
            story.reject(DUPLICATE, duplicate, null);
            return new GateResult(story.verdict(null), true, false, null, null, List.of());
        }
        story.pass(DUPLICATE, input.resumed() ? "first decision of this intent id (it waited for its dependencies)"
                : "first time this intent id is seen");
        AgentProfile agent = input.policy().agent(intent.getAgentId()).orElse(null);
        GateInput known = input.withAgent(agent);
        // An id is remembered, and its case file filed under it, only for an intent its agent is known to have sent: one of an
        // unknown agent, or without the signature its agent's key requires, is refused and forgotten, or anyone able to write
        // to the topic could spend an agent's next ids before it (an expired or suspended agent's intent is rejected before
        // its signature is checked, as DESIGN.md orders the checks, so whether it counts is asked of the signature apart).
        if (story.rejectedBy(expiry, input)) {
            return story.rejected(waited || sentBy(known));
        }
        if (story.rejectedBy(agentKnown, known)) {
            return story.rejected(waited);
        }
        for (RejectCheck check : agentChecks) {
            if (story.rejectedBy(check, known)) {
                return story.rejected(waited || (check == suspended ? sentBy(known) : check != signature));
            }
        }
        if (!intent.getDependsOn().isEmpty()) {
            if (!input.resumed()) {
                // Waiting spends no token, so the rate limit does not bound how many wait: this does. Each waiting intent is
                // kept, with its record, in memory until its dependencies answer or its timeout; one agent sending them
                // without end would otherwise fill the heap, and every agent of the instance would stop with it.
                long waiting = state.waiting(known.agent().id());
                if (waiting >= waitingMax) {
                    story.reject(DEPENDENCIES, new Rejection(ReasonCode.RATE_LIMITED, "agent \"" + known.agent().id() + "\" has "
                            + waiting + " intents waiting for their dependencies, the most limits.waiting.max allows; send it again,"
                            + " under a new intent id, once some of them are decided"), null);
                    return story.rejected(true);
                }
                Optional<Rejection> full = keptFull(known.agent(), state, "wait for its dependencies");
                if (full.isPresent()) {
                    story.reject(KEPT, full.get(), null);
                    return story.rejected(true);
                }
                // Nothing is spent while it waits: the rate limit and budgets see it when it is decided.
                story.checks.add(new CheckResult(DEPENDENCIES, CheckStatus.WAIT, null, null,
                        "waiting for " + String.join(", ", intent.getDependsOn()) + " to complete"));
                return new GateResult(story.verdict(null), false, true, null, null, List.of(), true);
            }
            story.pass(DEPENDENCIES, "all completed: " + String.join(", ", intent.getDependsOn()));
        }
        return decideSpending(known, state, story);
    }

    private boolean sentBy(GateInput known) {
        return known.agent() != null && signature.check(known).isEmpty();
    }

    private GateResult decideSpending(GateInput input, GateState state, Case story) {
        AgentProfile agent = input.agent();
        Policy policy = input.policy();
        AgentIntent intent = input.intent();

        TokenBucket bucket = null;
        if (agent.rateLimit() != null) {
            TokenBucket before = state.bucket(agent.id());
            RateDecision rate = (before == null ? TokenBucket.full(agent.rateLimit(), input.at()) : before)
                    .take(input.at(), agent.rateLimit());
            bucket = rate.bucket();
            if (!rate.allowed()) {
                story.reject(RATE_LIMIT, new Rejection(ReasonCode.RATE_LIMITED,
                        "agent \"" + agent.id() + "\" is over its rate of " + agent.rateLimit().refillPerSecond()
                                + "/s (burst " + agent.rateLimit().capacity() + "); next token at " + rate.availableAt()), null);
                return new GateResult(story.verdict(null), false, true, bucket, null, List.of());
            }
            story.pass(RATE_LIMIT, "token taken");
        }

        BudgetLedger ledger = state.ledger(agent.id());
        Admission admission = ledger.tryReserve(
                intent.getIntentId(), intent.getCostMicros(), input.at(), agent.budgets(), policy.defaults().zone());
        if (admission instanceof Admission.Exceeded exceeded) {
            story.reject(BUDGET, new Rejection(ReasonCode.BUDGET_EXCEEDED,
                    "costs " + Money.format(exceeded.costMicros()) + " but the " + exceeded.window().key() + " budget of "
                            + Money.format(exceeded.limitMicros()) + " has " + Money.format(exceeded.spentMicros()) + " spent and "
                            + Money.format(exceeded.reservedMicros()) + " reserved"), null);
            return new GateResult(story.verdict(null), false, true, bucket, ledger, usage(ledger, input));
        }
        if (admission instanceof Admission.AlreadyReserved) {
            // Still holding a reservation means it was decided, longer ago than dedupe.retention (an escalation kept open).
            story.reject(DUPLICATE, new Rejection(ReasonCode.DUPLICATE,
                    "intent " + intent.getIntentId() + " was decided before and still holds its reservation; this retry changes nothing"), null);
            return new GateResult(story.verdict(null), true, false, null, null, List.of());
        }
        List<WindowUsage> budgets = usage(ledger, input);
        story.pass(BUDGET, budgetDetail(intent, agent, budgets));

        List<Escalation> byRules = new ArrayList<>();
        List<RuleOutcome> outcomes = policy.compiledRules()
                .evaluate(new RuleInput(intent, agent.ruleAgent(), RuleBudgets.of(budgets), input.at()));
        List<Reason> ruleRejections = new ArrayList<>();
        for (RuleOutcome outcome : outcomes) {
            Rule rule = outcome.rule();
            String check = ruleCheck(rule.id());
            String message = rule.message() == null ? "rule " + rule.id() + " matched" : rule.message();
            switch (outcome.status()) {
                case NOT_FIRED -> story.checks.add(new CheckResult(check, CheckStatus.PASS, null, rule.id(), outcome.detail()));
                case ERROR -> {
                    if (rule.mode() == RuleMode.AUDIT) {
                        story.checks.add(new CheckResult(check, CheckStatus.AUDIT, ReasonCode.RULE_ERROR, rule.id(), outcome.detail()));
                    } else {
                        // Fail closed: a rule that cannot say whether it applies sends the intent to a person.
                        Escalation error = new Escalation(ReasonCode.RULE_ERROR, rule.id(),
                                "rule " + rule.id() + " could not be evaluated: " + outcome.detail(),
                                rule.tier() != null ? rule.tier() : policy.lowestTier());
                        story.checks.add(new CheckResult(check, CheckStatus.ESCALATE, ReasonCode.RULE_ERROR, rule.id(), error.message()));
                        byRules.add(error);
                    }
                }
                case FIRED -> {
                    if (rule.mode() == RuleMode.AUDIT) {
                        story.checks.add(new CheckResult(check, CheckStatus.AUDIT, ReasonCode.RULE, rule.id(), "audit only: " + message));
                    } else if (rule.effect() == RuleEffect.REJECT) {
                        story.checks.add(new CheckResult(check, CheckStatus.FAIL, ReasonCode.RULE, rule.id(), message));
                        ruleRejections.add(new Reason(ReasonCode.RULE, rule.id(), message));
                    } else {
                        story.checks.add(new CheckResult(check, CheckStatus.ESCALATE, ReasonCode.RULE, rule.id(), message));
                        byRules.add(new Escalation(ReasonCode.RULE, rule.id(), message, rule.tier()));
                    }
                }
            }
        }
        if (!ruleRejections.isEmpty()) {
            // Rejected intents keep nothing.
            ledger.release(intent.getIntentId());
            story.reasons.addAll(ruleRejections);
            return new GateResult(story.verdict(null), false, true, bucket, ledger, usage(ledger, input));
        }

        // Reasons in DESIGN.md's order: authority, confidence, departments, then the rules.
        List<Escalation> raised = new ArrayList<>();
        for (EscalationCheck check : escalations) {
            Optional<Escalation> escalation = check.check(input);
            if (escalation.isPresent()) {
                story.checks.add(new CheckResult(check.name(), CheckStatus.ESCALATE, escalation.get().code(), null, escalation.get().message()));
                raised.add(escalation.get());
            } else {
                story.pass(check.name(), null);
            }
        }
        raised.addAll(byRules);
        Optional<Rejection> full = raised.isEmpty() && !ClaimPlan.contends(intent, agent, policy) ? Optional.empty()
                : keptFull(agent, state, raised.isEmpty() ? "wait for its claims" : "wait for a person");
        if (full.isPresent()) {
            ledger.release(intent.getIntentId());
            story.reject(KEPT, full.get(), null);
            return new GateResult(story.verdict(null), false, true, bucket, ledger, usage(ledger, input));
        }
        return new GateResult(story.escalatedOrExecuted(raised, policy), false, true, bucket, ledger, budgets);
    }

    /**
     * Why an intent that would be kept in memory (escalated, waiting, or parked while its claims are out) is refused: its
     * agent has {@code limits.agent.kept.bytes} kept already. Each such entry is as large as the texts on it, and the heap
     * they take is shared by every agent of the instance, which counts alone would let one agent's long texts fill.
     */
    private Optional<Rejection> keptFull(AgentProfile agent, GateState state, String wouldKeep) {
        long kept = state.keptBytes(agent.id());
        if (kept < keptBytesMax) {
            return Optional.empty();
        }
        return Optional.of(new Rejection(ReasonCode.RATE_LIMITED, "agent \"" + agent.id() + "\" has " + kept + " bytes kept in memory"
                + " for its open escalations and intents waiting, the most limits.agent.kept.bytes allows, and this intent would "
                + wouldKeep + "; send it again, under a new intent id, once some of them are answered or decided"));
    }

    /** What the reservation did, and which windows are past their warnAt: the soft limit a person should hear of. */
    private static String budgetDetail(AgentIntent intent, AgentProfile agent, List<WindowUsage> budgets) {
        if (agent.budgets().isEmpty()) {
            return "no budgets";
        }
        StringBuilder detail = new StringBuilder("reserved " + Money.format(intent.getCostMicros()));
        for (WindowUsage usage : budgets) {
            if (usage.pastWarning()) {
                detail.append("; ").append(usage.window().key()).append(" at ")
                        .append(Math.round(usage.utilisation() * 100)).append(" %, past its warning at ")
                        .append(Math.round(usage.warnAt() * 100)).append(" %");
            }
        }
        return detail.toString();
    }

    private static List<WindowUsage> usage(BudgetLedger ledger, GateInput input) {
        return ledger.usage(input.at(), input.agent().budgets(), input.policy().defaults().zone());
    }

    /** The name of a rule's check in a case file, which readers of rejections by rule look for. */
    static String ruleCheck(String ruleId) {
        return "rule:" + ruleId;
    }

    /** The story of one decision as the checks write it. */
    private static final class Case {

        private final List<CheckResult> checks = new ArrayList<>();
        private final List<Reason> reasons = new ArrayList<>();

        boolean rejectedBy(RejectCheck check, GateInput input) {
            Optional<Rejection> rejection = check.check(input);
            if (rejection.isEmpty()) {
                pass(check.name(), null);
                return false;
            }
            reject(check.name(), rejection.get(), null);
            return true;
        }

        void pass(String check, String detail) {
            checks.add(new CheckResult(check, CheckStatus.PASS, null, null, detail));
        }

        void reject(String check, Rejection rejection, String ruleId) {
            checks.add(new CheckResult(check, CheckStatus.FAIL, rejection.code(), ruleId, rejection.message()));
            reasons.add(new Reason(rejection.code(), ruleId, rejection.message()));
        }

        GateResult rejected(boolean decided) {
            return new GateResult(verdict(null), false, decided, null, null, List.of());
        }

        Verdict verdict(String tier) {
            return new Verdict(DecisionOutcome.REJECT, tier, reasons, checks);
        }

        Verdict escalatedOrExecuted(List<Escalation> raised, Policy policy) {
            if (raised.isEmpty()) {
                return new Verdict(DecisionOutcome.EXECUTE, null, List.of(), checks);
            }
            String tier = null;
            for (Escalation escalation : raised) {
                reasons.add(new Reason(escalation.code(), escalation.ruleId(), escalation.message()));
                if (escalation.tier() != null && (tier == null || policy.tierRank(escalation.tier()) > policy.tierRank(tier))) {
                    tier = escalation.tier();
                }
            }
            return new Verdict(DecisionOutcome.ESCALATE, tier, reasons, checks);
        }
    }
}
