package io.agentmediator.cli;

import io.agentmediator.controls.ControlAction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code suspend AGENT --reason TEXT} (or {@code --all}): the kill switch. */
@Command(
        name = "suspend",
        mixinStandardHelpOptions = true,
        description = {
            "Stops an agent now, on every instance, without a policy change: publishes a SUSPEND control to the",
            "compacted controls topic. From then on its intents are rejected AGENT_SUSPENDED, its open escalations",
            "are rejected at the next escalation check (their reservations released), and the reason, who and when",
            "are in each decision and case file and in mediator_agent_suspended. Undo with: resume AGENT."
        })
public final class SuspendCommand implements Callable<Integer> {

    @Mixin
    ControlOptions options;

    @Override
    public Integer call() throws Exception {
        return options.publish(ControlAction.SUSPEND);
    }
}
