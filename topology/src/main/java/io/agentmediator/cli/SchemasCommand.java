package io.agentmediator.cli;

import io.agentmediator.app.StreamsSettings;
import io.agentmediator.config.ConfigKeys;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryClients;
import io.agentmediator.subjects.SubjectCheck;
import io.agentmediator.subjects.WrittenSubjects;
import io.agentmediator.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.avro.Schema;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code schemas check|register}: the subjects a deployment writes under, for a registry the mediators may only read
 * ({@code auto.register.schemas=false}), where someone allowed to write registers them before a version is rolled out.
 */
@Command(
        name = "schemas",
        mixinStandardHelpOptions = true,
        description = "The schema registry subjects the mediators and this jar's commands write under.",
        subcommands = {SchemasCommand.Check.class, SchemasCommand.Register.class})
final class SchemasCommand implements Runnable {

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a schemas command is required");
    }

    /**
     * The registry a deployment's settings name, and every subject it writes under with the schema this version writes: the
     * mediators' (checked at their start), then the commands'.
     */
    private record Deployment(SchemaRegistryClient registry, Map<String, Schema> subjects) {

        static Deployment of(Path file) throws Exception {
            MediatorConfig config = ClientSettings.load(file);
            SchemaRegistryClient registry = SchemaRegistryClients.forUrl(config.get(ConfigKeys.SCHEMA_REGISTRY_URL), config.serdeConfig());
            Topics topics = Topics.of(config, registry);
            String applicationId = StreamsSettings.of(config).getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
            // The subjects do not depend on the policy, and the deployment's policy.file names a path inside its pods, where
            // the command, run with credentials that may write, usually is not: the bundled one builds the same topology.
            Map<String, Schema> subjects = new LinkedHashMap<>(WrittenSubjects.of(config,
                    PolicySource.load(ConfigKeys.POLICY_FILE.defaultValue()).policy(), topics, applicationId));
            subjects.putAll(topics.commandSubjects());
            return new Deployment(registry, subjects);
        }
    }

    /** {@code schemas check --config FILE}: each subject present or missing; exit 1 if any is missing. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Lists every subject this version writes under, present or missing in the registry (missing: the",
                "subject does not exist, or does not hold this version's schema). Exit 1 if any is missing."})
    static final class Check implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", required = true,
                description = "The mediators' properties file: schema.registry.url and its credentials, topic.prefix, application.id.")
        Path config;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Deployment deployment = Deployment.of(config);
            Map<String, Schema> subjects = deployment.subjects();
            Set<String> missing = new HashSet<>(SubjectCheck.missing(deployment.registry(), subjects));
            PrintWriter out = spec.commandLine().getOut();
            subjects.keySet().forEach(subject -> out.println((missing.contains(subject) ? "missing  " : "present  ") + subject));
            out.println(missing.isEmpty() ? "all " + subjects.size() + " subjects present"
                    : missing.size() + " of " + subjects.size() + " subjects missing");
            return missing.isEmpty() ? 0 : 1;
        }
    }

    /** {@code schemas register --config FILE}: registers every subject (an existing one is found, not changed). */
    @Command(name = "register", mixinStandardHelpOptions = true,
            description = {"Registers every subject this version writes under with its schema, printing each one's schema id.",
                "A subject already holding the schema is left as it is; one the registry refuses (an incompatible change)",
                "stops the command with the registry's answer."})
    static final class Register implements Callable<Integer> {

        @Option(names = "--config", paramLabel = "FILE", required = true,
                description = "The mediators' properties file, with credentials for the registry that may write.")
        Path config;

        @Spec CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Deployment deployment = Deployment.of(config);
            PrintWriter out = spec.commandLine().getOut();
            deployment.subjects().forEach((subject, schema) -> out.println("id " + deployment.registry().register(subject, schema) + "  " + subject));
            out.println(deployment.subjects().size() + " subjects registered");
            return 0;
        }
    }
}
