package io.agentmediator.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import java.util.List;

/** An {@link Approval} from JSON with the schema's field names, for hand-written events. */
public final class ApprovalJson {

    private static final List<String> FIELDS = List.of("intentId", "approverId", "decision", "comment", "agentId", "intentSha256");

    private ApprovalJson() {}

    /**
     * @param path where the object sits in its document (such as {@code approval}), for messages
     * @throws JsonInputException naming the field, when the object cannot be an approval
     */
    public static Approval read(JsonNode node, String path) {
        JsonFields approval = JsonFields.object(node, path).allowOnly(FIELDS);
        return Approval.newBuilder()
                .setIntentId(approval.requiredString("intentId"))
                .setApproverId(approval.requiredString("approverId"))
                .setDecision(approval.requiredEnum("decision", ApprovalDecision.class))
                .setComment(approval.optionalString("comment"))
                .setAgentId(approval.optionalString("agentId"))
                .setIntentSha256(approval.optionalString("intentSha256"))
                .build();
    }
}
