package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.cli.ApproveCommand;
import io.agentmediator.cli.AuditCommand;
import io.agentmediator.cli.DenyCommand;
import io.agentmediator.cli.PendingCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The approver commands' surface, which needs no cluster: options, help, refusals. */
class ApproverCommandsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldSayInTheHelpThatTheMediatorDecidesWhetherAnAnswerCounts() {
        // Given the approve and deny commands
        // When their help is asked for
        int approveExit = run(new ApproveCommand(), "--help");
        int denyExit = run(new DenyCommand(), "--help");

        // Then both name the shared options and who decides
        assertThat(approveExit).isZero();
        assertThat(denyExit).isZero();
        assertThat(out.toString())
                .contains("Usage: approve", "Usage: deny", "INTENT", "--approver=ID", "--comment=TEXT", "--config=FILE", "--intent-sha256=HEX")
                .contains("The mediator decides whether it counts");
    }

    @Test
    void shouldRefuseAnAnswerWithoutAnApprover() {
        // Given an approval without --approver
        // When it is run
        int exit = run(new ApproveCommand(), "inv-1");

        // Then picocli refuses it before anything is sent
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required option: '--approver=ID'");
    }

    @Test
    void shouldRefuseABlankApproverBeforeContactingAnyBroker() {
        // Given a denial by nobody
        // When it is run
        int exit = run(new DenyCommand(), "inv-1", "--approver", " ");

        // Then it is refused as a usage error
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("INTENT and --approver must not be blank");
    }

    @Test
    void shouldRefuseADigestThatIsNotOneBeforeContactingAnyBroker() {
        // Given an approval naming a digest cut short
        // When it is run
        int exit = run(new ApproveCommand(), "inv-1", "--approver", "maria@example.com", "--intent-sha256", "8a6aa02cb383ad79");

        // Then it is refused as a usage error
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--intent-sha256 must be 64 hex digits");
    }

    @Test
    void shouldRefuseAnAnswerTheMediatorsWouldDeadLetterBeforeContactingAnyBroker() {
        // Given an approval whose comment is longer than limits.text.max.chars (65,536), and no broker to send it to
        // When it is run
        int exit = run(new ApproveCommand(), "inv-1", "--approver", "maria@example.com", "--comment", "x".repeat(70_000));

        // Then it is refused as a usage error, naming the limit, rather than sent to be dead-lettered
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("the mediators would refuse this answer", "limits.text.max.chars");
    }

    @Test
    void shouldSayThatPendingAndAuditScanTheAuditTopic() {
        // Given the read commands
        // When their help is asked for
        run(new PendingCommand(), "--help");
        run(new AuditCommand(), "--help");

        // Then both say where they read, what they keep of it and what they offer
        assertThat(out.toString())
                .contains("Usage: pending", "--tier=TIER", "--agent=ID", "Reads the whole compacted audit topic", "at GET /escalations")
                .contains("It keeps only the open escalations")
                .contains("Usage: audit", "--json", "Exit 1 when the intent has no case file")
                .contains("It keeps only this intent's records")
                .as("the endpoint exists").doesNotContain("will answer");
    }

    private int run(Object command, String... args) {
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }
}
