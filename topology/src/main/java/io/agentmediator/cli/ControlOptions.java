package io.agentmediator.cli;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.controls.Control;
import io.agentmediator.controls.ControlAction;
import io.agentmediator.controls.ControlConfirmation;
import io.agentmediator.keys.StoreKeys;
import io.agentmediator.controls.ControlPublisher;
import io.agentmediator.controls.Suspensions;
import io.agentmediator.signing.Ed25519Keys;
import io.agentmediator.topics.Topics;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code suspend} and {@code resume} share: which agent (or all), who and why, the cluster, and the sending. */
public final class ControlOptions {

    static final class Scope {
        @Parameters(index = "0", paramLabel = "AGENT", description = "The agent id.")
        String agentId;

        @Option(names = "--all", description = "Every agent at once (its own switch, independent of each agent's).")
        boolean all;
    }

    @ArgGroup(multiplicity = "1")
    Scope scope;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "Why; quoted in every rejection and case file it causes.")
    String reason;

    @Option(names = "--by", paramLabel = "NAME", description = "Who pulls it (default: the user name, ${sys:user.name}).")
    String by = System.getProperty("user.name");

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The operator's Ed25519 private key (PKCS#8, PEM or base64) to sign the control with; the policy must"
                    + " list the operator (--by) with its public key under operators (docs/SIGNING.md). Without it the control is"
                    + " unsigned, which counts only while the policy's signatures.controls is OPTIONAL (the default when it lists no"
                    + " operators).")
    Path keyFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: bootstrap.servers, topic.prefix, client security (see README).")
    Path config;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "PT30S",
            description = "How long to wait for a mediator to accept the control (ISO-8601, default ${DEFAULT-VALUE}); PT0S: send only."
                    + " Exit 2 when none did: it refused it (see its log) or none is running.")
    Duration wait;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    int publish(ControlAction action) throws Exception {
        String target = scope.all ? Suspensions.ALL : scope.agentId;
        if (target == null || target.isBlank() || reason.isBlank() || by == null || by.isBlank()) {
            throw new ParameterException(command.commandLine(), "AGENT (or --all), --reason and --by must not be blank");
        }
        // Checked before sending: past it, a wait that cannot be counted reported a control put in force as failed.
        if (wait.isNegative() || wait.compareTo(StoreKeys.LONGEST_DURATION) > 0) {
            throw new ParameterException(command.commandLine(), "--wait must be from PT0S to " + StoreKeys.LONGEST_DURATION + ", was " + wait);
        }
        // Milliseconds: what the signed canonical form covers, so the JSON says no more than was signed.
        Control control = new Control(action, reason, by, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        PrivateKey key = keyFile == null ? null : Ed25519Keys.privateKeyFromPkcs8(Files.readString(keyFile));
        MediatorConfig settings = ClientSettings.load(config);
        PrintWriter out = command.commandLine().getOut();
        String sent = action + " " + target + " by " + by + (key == null ? ", unsigned" : ", signed");
        // Watched from before the send, so its acceptance cannot come first. A refused control is only in the mediator's
        // log: an operator who saw the broker's acknowledgement alone took a switch the mediator refused for one in force.
        // One who may not read the accepted controls (the ACLs of a version before this) still sends, in an incident first.
        ControlConfirmation watching = null;
        String unwatchable = null;
        if (!wait.isZero()) {
            try {
                watching = ControlConfirmation.watch(settings);
            } catch (KafkaException e) {
                unwatchable = e.getMessage();
            }
        }
        try (ControlConfirmation confirmation = watching) {
            String where = new ControlPublisher(settings).publish(target, control, key);
            if (wait.isZero()) {
                out.println(sent + " (" + where + "), not waited for: " + reason);
                return 0;
            }
            if (confirmation == null) {
                command.commandLine().getErr().println(sent + " (" + where + "), but whether a mediator accepted it cannot be told: "
                        + unwatchable + ". Give this user Read and Describe on " + Topics.of(settings).controlsAccepted().name()
                        + " (docs/SECURITY.md), or look for \"control for " + target + " refused\" in the mediator's log.");
                return 2;
            }
            boolean accepted;
            try {
                accepted = confirmation.accepted(target, control, wait);
            } catch (org.apache.kafka.common.errors.AuthorizationException e) {
                // Describe alone lets the watch start; reading needs Read.
                command.commandLine().getErr().println(sent + " (" + where + "), but whether a mediator accepted it cannot be told: "
                        + e.getMessage() + ". Give this user Read and Describe on " + Topics.of(settings).controlsAccepted().name()
                        + " (docs/SECURITY.md), or look for \"control for " + target + " refused\" in the mediator's log.");
                return 2;
            }
            if (accepted) {
                out.println(sent + " (" + where + "), in force: " + reason);
                return 0;
            }
            command.commandLine().getErr().println(sent + " (" + where + ") was NOT accepted within " + wait + ": a mediator refused"
                    + " it (its log says why: \"control for " + target + " refused\"; mediator_controls_refused_total counts it), or the"
                    + " instance that judges it is down and the group has not yet handed its partition to another (up to the"
                    + " consumers' session.timeout.ms, 45 s by default; a SUSPEND is in force on the other instances meanwhile, as"
                    + " mediator_agent_suspended shows), or none is running. Check --by and --key-file against the policy's operators"
                    + " and signatures.controls.");
            return 2;
        }
    }
}
