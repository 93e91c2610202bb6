package io.agentmediator.cli;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.SignerWarnings;
import io.agentmediator.policyreload.PolicyPublisher;
import io.agentmediator.policyreload.PolicyStringLimits;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicyProblem;
import io.agentmediator.policy.PolicySource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code policy}: tools for policy authors. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Policy tools.",
        subcommands = {PolicyCommand.Validate.class, PolicyCommand.Publish.class})
final class PolicyCommand implements Runnable {

    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a policy command is required");
    }

    /**
     * The strings of {@code policy} over the input limits of {@code config}, which the mediators refuse the document for
     * ({@link PolicyStringLimits}); each problem names the file.
     */
    static List<String> overLimits(Policy policy, MediatorConfig config, Path file) {
        PolicyStringLimits limits = new PolicyStringLimits(InputLimits.of(config));
        List<String> problems = new ArrayList<>(limits.problems(policy).stream().map(problem -> file + ": " + problem).toList());
        limits.idOverLimit(ConfigKeys.POLICY_ID.name(), config.get(ConfigKeys.POLICY_ID))
                .ifPresent(problem -> problems.add(problem + ": the mediators refuse every document published under it"));
        return problems;
    }

    /**
     * {@code policy validate FILE [--config FILE]}: exit 0, or every error with its place in the file and exit 1. Warnings
     * (a rule whose cost grows with the square of the intent's lists, ...) are printed either way.
     */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Checks a policy file; prints every error and warning with its line.")
    static final class Validate implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML file.")
        Path file;

        @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE",
                description = "Properties file whose limits.id.max.chars and limits.text.max.chars the mediators use (see README).")
        Path config;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            PolicyParseResult result = PolicySource.load(file.toString());
            if (!result.isValid()) {
                for (PolicyProblem problem : result.problems()) {
                    spec.commandLine().getErr().println(problem);
                }
                spec.commandLine().getErr().println(result.problems().size() + " error(s) in " + file);
                return 1;
            }
            for (PolicyProblem warning : result.warnings()) {
                spec.commandLine().getErr().println("warning: " + warning);
            }
            Policy policy = result.policy();
            List<String> overLimits = overLimits(policy, MediatorConfig.load(config, Map.of()), file);
            if (!overLimits.isEmpty()) {
                overLimits.forEach(spec.commandLine().getErr()::println);
                spec.commandLine().getErr().println(overLimits.size() + " error(s) in " + file);
                return 1;
            }
            for (String warning : SignerWarnings.of(policy)) {
                spec.commandLine().getErr().println("warning: " + warning);
            }
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

    /**
     * {@code policy publish FILE --config FILE}: validates the file here, then publishes it on the
     * policies topic under {@code policy.id}, where every running mediator picks it up.
     */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Validates a policy file and publishes it to the policies topic; running mediators put it in force.")
    static final class Publish implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML file.")
        Path file;

        @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE",
                description = "Properties file: bootstrap.servers, schema.registry.url, topic.prefix, policy.id (see README).")
        Path config;

        @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            PolicyParseResult result = PolicySource.load(file.toString());
            if (!result.isValid()) {
                result.problems().forEach(problem -> spec.commandLine().getErr().println(problem));
                spec.commandLine().getErr().println("not published: " + result.problems().size() + " error(s) in " + file);
                return 1;
            }
            MediatorConfig settings = ClientSettings.load(config);
            List<String> overLimits = overLimits(result.policy(), settings, file);
            if (!overLimits.isEmpty()) {
                overLimits.forEach(spec.commandLine().getErr()::println);
                spec.commandLine().getErr().println("not published: " + overLimits.size() + " error(s) in " + file);
                return 1;
            }
            String published = new PolicyPublisher(settings).publish(result.policy());
            spec.commandLine().getOut().println(published);
            return 0;
        }
    }
}
