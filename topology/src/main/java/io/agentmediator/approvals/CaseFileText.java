package io.agentmediator.approvals;

import io.agentmediator.budget.Money;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ResourceClaim;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.text.Printable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A case file as a person reads it: what the agent asked for, every check, the decision, the
 * budgets it left, the outcome, and the timeline of who did what when. Related records (approvals
 * and outcomes that matched no open case) follow, because "why did my approval change nothing?"
 * is answered there.
 *
 * <p>Its own layout is plain ASCII and amounts are money, not micro-units, so it reads the same in
 * any terminal. What agents, approvers and executors wrote is escaped ({@link Printable}) line by line: an approver reads
 * this before answering, and an agent's reasoning must not add a line of its own or move the terminal's cursor over one.
 */
public final class CaseFileText {

    private static final int LABEL_WIDTH = 14;
    private static final String LABEL_INDENT = "  ";

    private final List<String> lines = new ArrayList<>();

    private CaseFileText() {}

    /** The case file, then the related records, as lines joined by {@code \n}. */
    public static String render(AuditRecord caseFile, List<AuditRecord> related) {
        CaseFileText text = new CaseFileText();
        text.header(caseFile);
        text.intent(caseFile.getIntent());
        text.checks(caseFile.getChecks());
        text.decision(caseFile.getDecision());
        text.budgets(caseFile.getBudgets());
        text.outcome(caseFile.getOutcome());
        text.section("Timeline");
        text.timeline(caseFile.getTimeline(), LABEL_INDENT);
        text.related(related);
        return text.joined();
    }

    /** Only the related records, for an intent that has no case file of its own. */
    public static String renderRelated(List<AuditRecord> related) {
        CaseFileText text = new CaseFileText();
        text.relatedRecords(related);
        return text.joined();
    }

    private String joined() {
        return lines.stream().map(Printable::escape).collect(Collectors.joining("\n"));
    }

    private void header(AuditRecord caseFile) {
        lines.add("Case file of intent " + caseFile.getIntentId());
        field("stage", caseFile.getStage().name());
        field("agent", caseFile.getAgentId());
        field("correlation", caseFile.getCorrelationId());
        field("policy", caseFile.getPolicyVersion());
        field("updated", caseFile.getUpdatedAt().toString());
    }

    private void intent(AgentIntent intent) {
        section("Intent");
        if (intent == null) {
            lines.add(LABEL_INDENT + "(none recorded: the intent could not be read, or this case is not about one)");
            return;
        }
        field("action", intent.getAction() + " on " + intent.getTarget());
        field("cost", Money.format(intent.getCostMicros()));
        field("commitment", Money.format(intent.getCommitmentMicros()));
        field("confidence", Double.toString(intent.getConfidence()));
        if (intent.getReasoning() != null) {
            field("reasoning", intent.getReasoning());
        }
        optionalList("alternatives", intent.getAlternatives(), "; ");
        optionalList("data classes", intent.getDataClasses(), ", ");
        optionalList("departments", intent.getDepartments(), ", ");
        if (!intent.getClaims().isEmpty()) {
            fieldLines("claims", intent.getClaims().stream().map(CaseFileText::claim).toList());
        }
        optionalList("depends on", intent.getDependsOn(), ", ");
        if (!intent.getAttributes().isEmpty()) {
            // Avro hands maps back in hash order; sorted, two readings of one case look the same.
            Map<String, String> sorted = new TreeMap<>(intent.getAttributes());
            field("attributes", sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));
        }
        if (intent.getExpiresAt() != null) {
            field("expires at", intent.getExpiresAt().toString());
        }
    }

    private static String claim(ResourceClaim claim) {
        String window;
        if (claim.getFrom() == null && claim.getUntil() == null) {
            window = "until released";
        } else {
            window = "[" + (claim.getFrom() == null ? "decision" : claim.getFrom()) + ", "
                    + (claim.getUntil() == null ? "released" : claim.getUntil()) + ")";
        }
        return claim.getResourceId() + " x" + claim.getQuantity() + " " + window;
    }

    private void checks(List<CheckResult> checks) {
        section("Checks");
        if (checks.isEmpty()) {
            lines.add(LABEL_INDENT + "(none)");
            return;
        }
        int nameWidth = width(checks, CheckResult::getCheck);
        for (CheckResult check : checks) {
            String code = check.getCode() == null ? "" : check.getCode() + ": ";
            String detail = check.getDetail() == null ? "" : check.getDetail();
            String line = LABEL_INDENT + pad(check.getStatus().name(), 8) + "  " + pad(check.getCheck(), nameWidth) + "  " + code + detail;
            lines.add(line.stripTrailing());
        }
    }

    private void decision(Decision decision) {
        section("Decision");
        if (decision == null) {
            lines.add(LABEL_INDENT + "(none yet)");
            return;
        }
        field("outcome", decision.getOutcome() + (decision.getTier() == null ? "" : " to " + decision.getTier()));
        if (!decision.getReasons().isEmpty()) {
            fieldLines("reasons", decision.getReasons().stream().map(CaseFileText::reason).toList());
        }
        if (decision.getDeadline() != null) {
            field("deadline", decision.getDeadline().toString());
        }
        field("decided by", decision.getDecidedBy() + " at " + decision.getDecidedAt());
        field("policy", decision.getPolicyVersion());
        if (decision.getIntentSha256() != null) {
            // What an answer names to count for this intent only (approve --intent-sha256).
            field("intent sha256", decision.getIntentSha256());
        }
    }

    private static String reason(Reason reason) {
        return reason.getCode() + (reason.getRuleId() == null ? "" : " (" + reason.getRuleId() + ")") + ": " + reason.getMessage();
    }

    private void budgets(List<BudgetState> budgets) {
        section("Budgets after");
        if (budgets.isEmpty()) {
            lines.add(LABEL_INDENT + "(none charged)");
            return;
        }
        int scopeWidth = width(budgets, BudgetState::getScope);
        for (BudgetState budget : budgets) {
            lines.add(LABEL_INDENT + pad(budget.getScope(), scopeWidth) + "  " + pad(budget.getWindow(), 5)
                    + " from " + budget.getWindowStart() + "  spent " + Money.format(budget.getSpentMicros())
                    + " + reserved " + Money.format(budget.getReservedMicros()) + " of " + Money.format(budget.getLimitMicros()));
        }
    }

    private void outcome(Outcome outcome) {
        if (outcome == null) {
            return;
        }
        section("Outcome");
        field("status", outcome.getStatus().name());
        field("actual cost", outcome.getActualCostMicros() == null ? "(not given)" : Money.format(outcome.getActualCostMicros()));
        if (outcome.getReportedBy() != null) {
            field("reported by", outcome.getReportedBy());
        }
        if (outcome.getDetail() != null) {
            field("detail", outcome.getDetail());
        }
    }

    private void timeline(List<TimelineEntry> timeline, String indent) {
        if (timeline.isEmpty()) {
            lines.add(indent + "(none)");
            return;
        }
        int eventWidth = width(timeline, TimelineEntry::getEvent);
        int actorWidth = width(timeline, TimelineEntry::getActor);
        for (TimelineEntry entry : timeline) {
            String line = indent + entry.getAt() + "  " + pad(entry.getEvent(), eventWidth) + "  " + pad(entry.getActor(), actorWidth)
                    + (entry.getDetail() == null ? "" : "  " + entry.getDetail());
            lines.add(line.stripTrailing());
        }
    }

    private void related(List<AuditRecord> related) {
        if (!related.isEmpty()) {
            lines.add("");
            relatedRecords(related);
        }
    }

    private void relatedRecords(List<AuditRecord> related) {
        lines.add("Related records (approvals and outcomes that matched no open case)");
        for (AuditRecord record : related) {
            lines.add(LABEL_INDENT + record.getIntentId());
            timeline(record.getTimeline(), LABEL_INDENT + LABEL_INDENT);
        }
    }

    private void section(String title) {
        lines.add("");
        lines.add(title);
    }

    private void field(String label, String value) {
        lines.add(LABEL_INDENT + pad(label, LABEL_WIDTH) + value);
    }

    /** A field whose value takes several lines, aligned under the first. */
    private void fieldLines(String label, List<String> values) {
        field(label, values.get(0));
        values.subList(1, values.size()).forEach(value -> lines.add(LABEL_INDENT + " ".repeat(LABEL_WIDTH) + value));
    }

    private void optionalList(String label, List<String> values, String separator) {
        if (!values.isEmpty()) {
            field(label, String.join(separator, values));
        }
    }

    private static <T> int width(List<T> items, Function<T, String> text) {
        return items.stream().mapToInt(item -> text.apply(item).length()).max().orElse(0);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : text + " ".repeat(width - text.length());
    }
}
