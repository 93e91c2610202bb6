package io.agentmediator.approvals;

import io.agentmediator.schema.Approval;

/** An approval the broker acknowledged, and where it was written. */
public record SentApproval(Approval approval, String topic, int partition, long offset) {

    /** One line for the person who sent it; the mediator, not the sender, decides whether it counts. */
    public String describe() {
        return "sent " + approval.getDecision() + " for intent " + approval.getIntentId() + " as " + approval.getApproverId()
                + " to " + topic + " (partition " + partition + ", offset " + offset + "); the mediator decides whether it counts"
                + " (see: audit " + approval.getIntentId() + ")";
    }
}
