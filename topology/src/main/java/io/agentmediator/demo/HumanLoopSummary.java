package io.agentmediator.demo;

/**
 * What became of the demo's escalations and executed intents after their first decision;
 * {@link #toString()} is the line printed just before the summary.
 *
 * @param approved escalations approved by an eligible approver (follow-up decisions APPROVED)
 * @param denied   escalations denied by an eligible approver (DENIED)
 * @param ignored  answers from people the policy does not let answer, which changed nothing
 * @param expired  escalations nobody answered by their deadline (ESCALATION_EXPIRED)
 * @param outcomes outcomes the executors reported
 */
public record HumanLoopSummary(long approved, long denied, long ignored, long expired, long outcomes) {

    @Override
    public String toString() {
        return "human loop: approved=" + approved + " denied=" + denied + " ignored=" + ignored + " expired=" + expired
                + " outcomes=" + outcomes;
    }
}
