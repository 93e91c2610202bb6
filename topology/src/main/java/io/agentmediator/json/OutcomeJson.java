package io.agentmediator.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import java.util.List;

/** An executor's {@link Outcome} from JSON with the schema's field names, for hand-written events. */
public final class OutcomeJson {

    private static final List<String> FIELDS = List.of("intentId", "status", "actualCostMicros", "reportedBy", "detail", "agentId", "intentSha256");

    private OutcomeJson() {}

    /**
     * @param path where the object sits in its document (such as {@code outcome}), for messages
     * @throws JsonInputException naming the field, when the object cannot be an outcome
     */
    public static Outcome read(JsonNode node, String path) {
        JsonFields outcome = JsonFields.object(node, path).allowOnly(FIELDS);
        return Outcome.newBuilder()
                .setIntentId(outcome.requiredString("intentId"))
                .setStatus(outcome.requiredEnum("status", OutcomeStatus.class))
                .setActualCostMicros(outcome.optionalLong("actualCostMicros"))
                .setReportedBy(outcome.optionalString("reportedBy"))
                .setDetail(outcome.optionalString("detail"))
                .setAgentId(outcome.optionalString("agentId"))
                .setIntentSha256(outcome.optionalString("intentSha256"))
                .build();
    }
}
