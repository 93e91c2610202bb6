package io.agentmediator.cli;

import io.agentmediator.schema.ApprovalDecision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code approve INTENT --approver ID}: a human's yes to an escalation. */
@Command(
        name = "approve",
        mixinStandardHelpOptions = true,
        description = {
            "Approves an escalated intent: publishes an Approval (APPROVE) keyed by the intent id to the approvals topic",
            "and waits for the broker's acknowledgement.",
            "The mediator decides whether it counts: the approver must be listed in the policy with a tier at least",
            "the escalation's and, when limited to departments, one of them the agent's. Then the intent is executed",
            "(reason APPROVED); otherwise nothing changes and the case file says why (see: audit INTENT)."
        })
public final class ApproveCommand implements Callable<Integer> {

    @Mixin
    ApprovalOptions options;

    @Override
    public Integer call() throws Exception {
        return options.answer(ApprovalDecision.APPROVE);
    }
}
