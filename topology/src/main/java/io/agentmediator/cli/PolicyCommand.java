package io.agentmediator.cli;

import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicyProblem;
import io.agentmediator.policy.PolicySource;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code policy}: tools for policy authors. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Policy tools.",
        subcommands = {PolicyCommand.Validate.class})
final class PolicyCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a policy command is required");
    }

    /** {@code policy validate FILE}: exit 0, or every error with its place in the file and exit 1. */
    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Checks a policy file; prints every error with its line.")
    static final class Validate implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML file.")
        Path file;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PolicyParseResult result = PolicySource.load(file.toString());
            if (!result.isValid()) {
                for (PolicyProblem problem : result.problems()) {
                    spec.commandLine().getErr().println(problem);
                }
                spec.commandLine().getErr().println(result.problems().size() + " error(s) in " + file);
                return 1;
            }
            Policy policy = result.policy();
            spec.commandLine().getOut().println(
                    "valid: version "
                            + policy.version()
                            + ", "
                            + policy.agents().size()
                            + " agents, "
                            + policy.rules().size()
                            + " rules");
            return 0;
        }
    }
}
