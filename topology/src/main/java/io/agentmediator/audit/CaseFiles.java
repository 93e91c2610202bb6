package io.agentmediator.audit;

import io.agentmediator.decision.DecisionFactory;
import io.agentmediator.decision.Verdict;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.budget.WindowUsage;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.text.Printable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the audit record (the case file) of an intent at each step of its story. */
public final class CaseFiles {

    static final String POLICY_VALID = "policy-valid";
    /** How long a timeline grows by answers that changed nothing; the lifecycle itself takes a dozen entries or so. */
    public static final int NOTED_UP_TO = 64;
    /**
     * How long the detail of an answer that changed nothing stays: {@link #NOTED_UP_TO} of them at the timeline's usual
     * {@link Timeline#DETAIL_MAX_CHARS}, in three-byte characters (a refusal quotes the policy, an approver's departments or an
     * executor's globs), would be most of a megabyte in a case file that is also a store value, whose changelog cannot drop it.
     */
    static final int NOTED_DETAIL_MAX_CHARS = 512;
    /** The event of the one entry that stands for the answers past {@link #NOTED_UP_TO}. */
    /** The step of a decision, made at its time (or later, see {@link #madeAt}). */
    static final String DECIDED = "DECIDED";
    public static final String NOT_KEPT = "NOT_KEPT";

    private CaseFiles() {}

    /**
     * The case file of an intent decided on arrival: received, every check, decided, and the
     * agent's budget windows as the decision left them.
     */
    public static AuditRecord decided(
            String caseId, AgentIntent intent, Verdict verdict, Decision decision, List<WindowUsage> budgets, Instant at) {
        return decided(caseId, intent, verdict, decision, budgetStates(decision.getAgentId(), budgets), at, null);
    }

    /**
     * The case file of a decided intent, with the agent's budget windows as given (a pool's are kept by the
     * resource ledger's partition, not the agent's, and no case file shows them). {@code history} is the case file it had while it waited for its dependencies, whose
     * timeline comes first; null when it did not wait.
     */
    public static AuditRecord decided(
            String caseId, AgentIntent intent, Verdict verdict, Decision decision, List<BudgetState> budgets, Instant at,
            AuditRecord history) {
        return decided(caseId, intent, verdict, decision, budgets, at, at, history);
    }

    /**
     * As {@link #decided(String, AgentIntent, Verdict, Decision, List, Instant, AuditRecord)}, for a decision dated {@code at}
     * but made at {@code madeAt} (an intent whose claims were out to the resource ledger): its DECIDED step is at
     * {@code madeAt}, which {@link #madeAt} reads back.
     */
    public static AuditRecord decided(
            String caseId, AgentIntent intent, Verdict verdict, Decision decision, List<BudgetState> budgets, Instant at, Instant madeAt,
            AuditRecord history) {
        List<TimelineEntry> timeline = new ArrayList<>();
        if (history != null) {
            timeline.addAll(history.getTimeline());
        } else {
            timeline.add(Timeline.entry(at, "RECEIVED", decision.getAgentId(), "intent " + intent.getAction() + " on " + intent.getTarget()));
        }
        timeline.add(Timeline.entry(madeAt, DECIDED, decision.getDecidedBy(), summary(decision)));
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId(decision.getAgentId())
                .setCorrelationId(decision.getCorrelationId().isBlank() ? caseId : decision.getCorrelationId())
                .setStage(CaseStage.valueOf(decision.getOutcome().name()))
                .setIntent(intent)
                .setChecks(verdict.checks())
                .setDecision(decision)
                .setBudgets(budgets)
                .setOutcome(null)
                .setPolicyVersion(decision.getPolicyVersion())
                .setTimeline(timeline)
                .setUpdatedAt(at)
                .build();
    }

    /**
     * When the decision in force in {@code caseFile} was made: its time, or its DECIDED step's when later (the resource ledger
     * answered the intent's claims then). An answer sent before it answers nothing anyone could see.
     */
    public static Instant madeAt(AuditRecord caseFile) {
        Instant dated = caseFile.getDecision().getDecidedAt();
        List<TimelineEntry> steps = caseFile.getTimeline();
        for (int index = steps.size() - 1; index >= 0; index--) {
            if (steps.get(index).getEvent().equals(DECIDED)) {
                return steps.get(index).getAt().isAfter(dated) ? steps.get(index).getAt() : dated;
            }
        }
        return dated;
    }

    /** The case file of an intent waiting for its dependencies: the checks it passed, no decision yet. */
    public static AuditRecord waiting(AgentIntent intent, Verdict checked, String policyVersion, Instant at, Instant giveUpAt) {
        return AuditRecord.newBuilder()
                .setIntentId(intent.getIntentId())
                .setAgentId(intent.getAgentId())
                .setCorrelationId(DecisionFactory.correlationId(intent))
                .setStage(CaseStage.WAITING)
                .setIntent(intent)
                .setChecks(checked.checks())
                .setDecision(null)
                .setBudgets(List.of())
                .setOutcome(null)
                .setPolicyVersion(policyVersion)
                .setTimeline(List.of(
                        Timeline.entry(at, "RECEIVED", intent.getAgentId(), "intent " + intent.getAction() + " on " + intent.getTarget()),
                        Timeline.entry(at, "WAITING", DecisionFactory.MEDIATOR, "waiting for " + String.join(", ", intent.getDependsOn())
                                + " to complete; gives up at " + giveUpAt)))
                .setUpdatedAt(at)
                .build();
    }

    /** The agent's budget windows as a case file shows them. */
    public static List<BudgetState> budgetStates(String agentId, List<WindowUsage> budgets) {
        return budgets.stream().map(usage -> budgetState(agentId, usage)).toList();
    }

    /**
     * The next version of a case: a new stage, the latest decision and outcome (null keeps the
     * current ones), the budgets as they stand now (null keeps them), and the steps appended to the
     * timeline.
     */
    public static AuditRecord advanced(
            AuditRecord current,
            CaseStage stage,
            Decision decision,
            Outcome outcome,
            List<BudgetState> budgets,
            String policyVersion,
            Instant at,
            List<TimelineEntry> steps) {
        List<TimelineEntry> timeline = new ArrayList<>(current.getTimeline());
        timeline.addAll(steps);
        return AuditRecord.newBuilder(current)
                .setStage(stage)
                .setDecision(decision != null ? decision : current.getDecision())
                .setOutcome(outcome != null ? outcome : current.getOutcome())
                .setBudgets(budgets != null ? budgets : current.getBudgets())
                .setPolicyVersion(policyVersion)
                .setTimeline(timeline)
                .setUpdatedAt(at)
                .build();
    }

    /**
     * The case with {@code step} added to its timeline and nothing else changed, its last change
     * included: an answer that was refused is on the record, but it does not count as activity, or
     * anyone able to write the answers' topic could keep a case, and what it holds, from ever being
     * forgotten by sending a refused answer every {@code case.retention}.
     */
    public static AuditRecord noted(AuditRecord current, TimelineEntry noted) {
        // The detail is escaped already: escaping again changes nothing, so this only cuts.
        String detail = Printable.escape(noted.getDetail(), NOTED_DETAIL_MAX_CHARS);
        TimelineEntry step = detail == noted.getDetail() ? noted : TimelineEntry.newBuilder(noted).setDetail(detail).build();
        List<TimelineEntry> timeline = new ArrayList<>(current.getTimeline());
        if (timeline.size() < NOTED_UP_TO) {
            timeline.add(step);
        } else {
            // Anyone able to write the answers' topic can send refused answers without end: past this many entries only the
            // latest is kept, in one entry that says so, and the case file stays far below Kafka's record limit.
            if (NOT_KEPT.equals(timeline.get(timeline.size() - 1).getEvent())) {
                timeline.remove(timeline.size() - 1);
            }
            timeline.add(new TimelineEntry(step.getAt(), NOT_KEPT, step.getActor(), "answers that changed nothing are not kept past "
                    + NOTED_UP_TO + " timeline entries; the latest: " + step.getEvent() + ", " + step.getDetail()));
        }
        return AuditRecord.newBuilder(current).setTimeline(timeline).build();
    }

    /** The case file of an approval or outcome that matched no case it could change. */
    public static AuditRecord unmatched(
            String caseId, String intentId, String agentId, String kind, String why, String actor, String policyVersion, Instant at) {
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId(agentId)
                .setCorrelationId(intentId)
                .setStage(CaseStage.RECEIVED)
                .setIntent(null)
                .setChecks(List.of(new CheckResult("case-open", CheckStatus.FAIL, null, null, Printable.escape(why, Timeline.DETAIL_MAX_CHARS))))
                .setDecision(null)
                .setBudgets(List.of())
                .setOutcome(null)
                .setPolicyVersion(policyVersion)
                .setTimeline(List.of(Timeline.entry(at, kind.toUpperCase(java.util.Locale.ROOT), actor, why)))
                .setUpdatedAt(at)
                .build();
    }

    /** The scope a case file's budget states name the agent's own windows by (its pool's are named apart). */
    public static String agentScope(String agentId) {
        return "agent:" + agentId;
    }

    private static BudgetState budgetState(String agentId, WindowUsage usage) {
        return new BudgetState(
                agentScope(agentId),
                usage.window().window().name(),
                usage.window().start(),
                usage.limitMicros(),
                usage.spentMicros(),
                usage.reservedMicros());
    }

    /** The case file of a policy document that passed validation and is now in force. */
    public static AuditRecord policyAccepted(String policyId, String version, Instant at) {
        String caseId = PolicyCases.caseId(policyId, version);
        return policyCase(caseId, CaseStage.EXECUTE, version,
                List.of(new CheckResult(POLICY_VALID, CheckStatus.PASS, null, null, "policy " + policyId + " version " + version + " is valid")),
                Timeline.entry(at, "POLICY_ACCEPTED", DecisionFactory.MEDIATOR, "version " + version + " in force"), at);
    }

    /** The case file of a policy document that was refused, listing {@code problems} of the {@code problemCount} found; {@code inForce} stays. */
    public static AuditRecord policyRefused(
            String caseId, String version, String inForce, List<String> problems, int problemCount, Instant at) {
        List<CheckResult> checks = problems.stream()
                .map(problem -> new CheckResult(POLICY_VALID, CheckStatus.FAIL, ReasonCode.MALFORMED, null, problem))
                .toList();
        return policyCase(caseId, CaseStage.REJECT, inForce, checks,
                Timeline.entry(at, "POLICY_REFUSED", DecisionFactory.MEDIATOR,
                        "version " + version + " refused, " + problemCount + " problem(s); version " + inForce + " stays in force"), at);
    }

    private static AuditRecord policyCase(
            String caseId, CaseStage stage, String policyVersion, List<CheckResult> checks, TimelineEntry entry, Instant at) {
        return AuditRecord.newBuilder()
                .setIntentId(caseId)
                .setAgentId(DecisionFactory.MEDIATOR)
                .setCorrelationId(caseId)
                .setStage(stage)
                .setIntent(null)
                .setChecks(checks)
                .setDecision(null)
                .setBudgets(List.of())
                .setOutcome(null)
                .setPolicyVersion(policyVersion)
                .setTimeline(List.of(entry))
                .setUpdatedAt(at)
                .build();
    }

    private static String summary(Decision decision) {
        StringBuilder text = new StringBuilder(decision.getOutcome().name());
        if (decision.getTier() != null) {
            text.append(" to ").append(decision.getTier());
        }
        decision.getReasons().forEach(r -> text.append("; ").append(r.getCode()).append(": ").append(r.getMessage()));
        return text.toString();
    }
}
