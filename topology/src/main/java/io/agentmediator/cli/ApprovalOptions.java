package io.agentmediator.cli;

import io.agentmediator.approvals.ApprovalPublisher;
import io.agentmediator.approvals.SentApproval;
import io.agentmediator.config.MediatorConfig;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.limits.RecordLimits;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.signing.Ed25519Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code approve} and {@code deny} share: the intent, who answers, an optional comment, the
 * cluster to send to, and the sending itself. The two commands differ only in the answer.
 */
public final class ApprovalOptions {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    @Parameters(index = "0", paramLabel = "INTENT", description = "The id of the escalated intent.")
    String intentId;

    @Option(names = "--approver", required = true, paramLabel = "ID",
            description = "Who answers, as listed under approvers in the policy (e.g. maria@example.com).")
    String approverId;

    @Option(names = "--agent", paramLabel = "AGENT",
            description = "The agent whose escalation this answers, as `pending` lists it: the answer then reaches that agent's case"
                    + " only. Without it, it reaches whichever agent's case holds the intent id (ids should be unique across agents).")
    String agentId;

    @Option(names = "--comment", paramLabel = "TEXT", description = "Why; kept in the case file and in the decision's reason.")
    String comment;

    @Option(names = "--intent-sha256", paramLabel = "HEX",
            description = "The escalation's intentSha256 (64 hex digits, as `audit INTENT` shows it and the ESCALATE decision carries it):"
                    + " the answer then counts for that intent only, so, signed, it cannot be re-sent to answer a later intent under"
                    + " the same id.")
    String intentSha256;

    @Option(names = "--key-file", paramLabel = "FILE",
            description = "The approver's Ed25519 private key (PKCS#8, PEM or base64) to sign the answer with; the policy must"
                    + " register its public key (docs/SIGNING.md). Without it the answer is unsigned, which counts only where"
                    + " the policy sets signatures.approvals: OPTIONAL.")
    Path keyFile;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file: bootstrap.servers, schema.registry.url, topic.prefix, client security (see README).")
    Path config;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Publishes the answer, waits for the broker's acknowledgement, and says what was sent. */
    int answer(ApprovalDecision decision) throws Exception {
        if (intentId.isBlank() || approverId.isBlank()) {
            throw new ParameterException(command.commandLine(), "INTENT and --approver must not be blank");
        }
        if (intentSha256 != null && !SHA256_HEX.matcher(intentSha256).matches()) {
            throw new ParameterException(command.commandLine(), "--intent-sha256 must be 64 hex digits, as the decision carries it");
        }
        Approval approval = Approval.newBuilder()
                .setIntentId(intentId)
                .setApproverId(approverId)
                .setDecision(decision)
                .setComment(comment)
                .setAgentId(agentId == null || agentId.isBlank() ? null : agentId)
                .setIntentSha256(intentSha256 == null ? null : intentSha256.toLowerCase(Locale.ROOT))
                .build();
        MediatorConfig settings = ClientSettings.load(config);
        // The mediators dead-letter an answer over their limits: it would change nothing, and say so nowhere the approver looks.
        List<String> overLimits = new RecordLimits(InputLimits.of(settings)).ofApproval(approval);
        if (!overLimits.isEmpty()) {
            throw new ParameterException(command.commandLine(), "the mediators would refuse this answer: " + String.join("; ", overLimits));
        }
        PrivateKey key = keyFile == null ? null : Ed25519Keys.privateKeyFromPkcs8(Files.readString(keyFile));
        SentApproval sent = new ApprovalPublisher(settings).publish(approval, key);
        command.commandLine().getOut().println(sent.describe());
        return 0;
    }
}
