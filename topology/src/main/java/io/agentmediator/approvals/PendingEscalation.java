package io.agentmediator.approvals;

import java.time.Duration;
import java.time.Instant;

/**
 * One open escalation as an approver's list shows it.
 *
 * @param escalatedAt when the mediator escalated it
 * @param age         how long it has waited, as of the moment the list was made
 * @param deadline    when it is rejected unanswered; null if the decision names none
 * @param timeLeft    until the deadline, negative once it has passed; null without a deadline
 * @param firstReason the first reason of the escalation, code and message; empty if it has none
 */
public record PendingEscalation(
        String intentId,
        String agentId,
        String tier,
        Instant escalatedAt,
        Duration age,
        Instant deadline,
        Duration timeLeft,
        String firstReason) {}
