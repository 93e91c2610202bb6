package io.agentmediator.cli;

import io.agentmediator.controls.ControlAction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code resume AGENT --reason TEXT} (or {@code --all}): releases the kill switch. */
@Command(
        name = "resume",
        mixinStandardHelpOptions = true,
        description = {
            "Releases a kill switch pulled with suspend: publishes a RESUME control for the agent (or for --all).",
            "New intents are decided again; what was rejected while it was on stays rejected. A policy that marks",
            "the agent suspended: true still suspends it."
        })
public final class ResumeCommand implements Callable<Integer> {

    @Mixin
    ControlOptions options;

    @Override
    public Integer call() throws Exception {
        return options.publish(ControlAction.RESUME);
    }
}
