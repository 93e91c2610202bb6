package io.agentmediator.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.TimelineEntry;
import java.io.IOException;

/**
 * An {@link AuditRecord} (a case file) as one line of JSON, for compliance tools and scripts:
 * the schema's field names in the schema's order, every field present (null when it has no
 * value), instants in ISO-8601. The intent and the decision are written exactly as
 * {@link IntentJson} and {@link DecisionJson} write them, so each reads the same wherever it
 * appears.
 */
public final class AuditJson {

    private AuditJson() {}

    public static String write(AuditRecord caseFile) {
        return JsonText.write(out -> {
            out.writeStartObject();
            out.writeStringField("intentId", caseFile.getIntentId());
            out.writeStringField("agentId", caseFile.getAgentId());
            out.writeStringField("correlationId", caseFile.getCorrelationId());
            out.writeStringField("stage", caseFile.getStage().name());
            writeRaw(out, "intent", caseFile.getIntent() == null ? null : IntentJson.write(caseFile.getIntent()));
            out.writeArrayFieldStart("checks");
            for (CheckResult check : caseFile.getChecks()) {
                writeCheck(out, check);
            }
            out.writeEndArray();
            writeRaw(out, "decision", caseFile.getDecision() == null ? null : DecisionJson.write(caseFile.getDecision()));
            out.writeArrayFieldStart("budgets");
            for (BudgetState budget : caseFile.getBudgets()) {
                writeBudget(out, budget);
            }
            out.writeEndArray();
            writeOutcome(out, caseFile.getOutcome());
            out.writeStringField("policyVersion", caseFile.getPolicyVersion());
            out.writeArrayFieldStart("timeline");
            for (TimelineEntry entry : caseFile.getTimeline()) {
                writeEntry(out, entry);
            }
            out.writeEndArray();
            JsonText.writeInstantField(out, "updatedAt", caseFile.getUpdatedAt());
            out.writeEndObject();
        });
    }

    /** A value another writer already turned into JSON text, or null. */
    private static void writeRaw(JsonGenerator out, String name, String json) throws IOException {
        out.writeFieldName(name);
        if (json == null) {
            out.writeNull();
        } else {
            out.writeRawValue(json);
        }
    }

    private static void writeCheck(JsonGenerator out, CheckResult check) throws IOException {
        out.writeStartObject();
        out.writeStringField("check", check.getCheck());
        out.writeStringField("status", check.getStatus().name());
        out.writeStringField("code", check.getCode() == null ? null : check.getCode().name());
        out.writeStringField("ruleId", check.getRuleId());
        out.writeStringField("detail", check.getDetail());
        out.writeEndObject();
    }

    private static void writeBudget(JsonGenerator out, BudgetState budget) throws IOException {
        out.writeStartObject();
        out.writeStringField("scope", budget.getScope());
        out.writeStringField("window", budget.getWindow());
        JsonText.writeInstantField(out, "windowStart", budget.getWindowStart());
        out.writeNumberField("limitMicros", budget.getLimitMicros());
        out.writeNumberField("spentMicros", budget.getSpentMicros());
        out.writeNumberField("reservedMicros", budget.getReservedMicros());
        out.writeEndObject();
    }

    private static void writeOutcome(JsonGenerator out, Outcome outcome) throws IOException {
        out.writeFieldName("outcome");
        if (outcome == null) {
            out.writeNull();
            return;
        }
        out.writeStartObject();
        out.writeStringField("intentId", outcome.getIntentId());
        out.writeStringField("status", outcome.getStatus().name());
        out.writeFieldName("actualCostMicros");
        if (outcome.getActualCostMicros() == null) {
            out.writeNull();
        } else {
            out.writeNumber(outcome.getActualCostMicros());
        }
        out.writeStringField("reportedBy", outcome.getReportedBy());
        out.writeStringField("detail", outcome.getDetail());
        out.writeEndObject();
    }

    private static void writeEntry(JsonGenerator out, TimelineEntry entry) throws IOException {
        out.writeStartObject();
        JsonText.writeInstantField(out, "at", entry.getAt());
        out.writeStringField("event", entry.getEvent());
        out.writeStringField("actor", entry.getActor());
        out.writeStringField("detail", entry.getDetail());
        out.writeEndObject();
    }
}
