package io.agentmediator.cli;

import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.SignerWarnings;
import io.agentmediator.policyreload.PolicyConfirmation;
import io.agentmediator.policyreload.PolicyPublisher;
import io.agentmediator.policyreload.PolicyStringLimits;
import io.agentmediator.policy.PolicyParseResult;
import io.agentmediator.policy.PolicyProblem;
import io.agentmediator.policy.PolicySource;
import java.io.IOException;
import io.agentmediator.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
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
     * policies topic under {@code policy.id}, where every running mediator picks it up, and waits until one accepted it.
     */
    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Validates a policy file, publishes it to the policies topic and waits until a running mediator has accepted it.")
    static final class Publish implements Callable<Integer> {

        @Parameters(paramLabel = "FILE", description = "The policy YAML file.")
        Path file;

        @picocli.CommandLine.Option(names = "--config", paramLabel = "FILE",
                description = "Properties file: bootstrap.servers, schema.registry.url, topic.prefix, policy.id (see README).")
        Path config;

        @picocli.CommandLine.Option(names = "--wait", paramLabel = "DURATION", defaultValue = "PT30S",
                description = "How long to wait for a mediator to accept the document (ISO-8601, default ${DEFAULT-VALUE}); PT0S:"
                        + " publish only. Exit 2 when none did: it refused it (see its log) or none is running.")
        Duration wait;

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
            if (wait.isNegative() || wait.compareTo(StoreKeys.LONGEST_DURATION) > 0) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--wait must be from PT0S to " + StoreKeys.LONGEST_DURATION
                        + ", was " + wait);
            }
            // Watched from before the send, so its acceptance cannot come first. The broker's acknowledgement alone said
            // "published" of a document every mediator then refused, keeping the one in force.
            PolicyConfirmation watching = null;
            String unwatchable = null;
            if (!wait.isZero()) {
                try {
                    watching = PolicyConfirmation.watch(settings);
                } catch (org.apache.kafka.common.KafkaException e) {
                    unwatchable = e.getMessage();
                }
            }
            try (PolicyConfirmation confirmation = watching) {
                String published = new PolicyPublisher(settings).publish(result.policy());
                if (wait.isZero()) {
                    spec.commandLine().getOut().println(published + ", not waited for");
                    return 0;
                }
                String policyId = settings.get(ConfigKeys.POLICY_ID);
                if (confirmation == null) {
                    spec.commandLine().getErr().println(published + ", but whether a mediator accepted it cannot be told: " + unwatchable
                            + ". Give this user Read and Describe on " + Topics.of(settings).policiesAccepted().name()
                            + " (docs/SECURITY.md), or look for \"version " + result.policy().version() + " in force\" in the mediator's log.");
                    return 2;
                }
                boolean accepted;
                try {
                    accepted = confirmation.accepted(policyId, result.policy(), wait);
                } catch (org.apache.kafka.common.errors.AuthorizationException e) {
                    // Describe alone lets the watch start; reading needs Read.
                    spec.commandLine().getErr().println(published + ", but whether a mediator accepted it cannot be told: " + e.getMessage()
                            + ". Give this user Read and Describe on " + Topics.of(settings).policiesAccepted().name() + " (docs/SECURITY.md).");
                    return 2;
                }
                if (accepted) {
                    // A mediator validates a document under any id, and puts in force only its own policy.id's.
                    spec.commandLine().getOut().println(published + ", accepted: in force on every mediator whose policy.id is "
                            + policyId);
                    return 0;
                }
                spec.commandLine().getErr().println(published + ", NOT accepted within " + wait + ": a mediator refused it (its log"
                        + " says why: \"policy " + policyId + " version " + result.policy().version() + " refused\", and so does its case"
                        + " file in the audit trail; a version accepted before with other content is refused: publish a change under a"
                        + " new version), or none is running.");
                return 2;
            }
        }
    }
}
