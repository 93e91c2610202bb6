package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.demo.DemoKeys;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.OutcomeStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The approval and outcomes of docs/examples/backtest-events.jsonl are raw lines, signed as the example
 * policy requires: each is the record its comment describes, signed with the demo key the policy registers
 * for its signer. When a schema changes, the lines this test expects are the ones to put in the file.
 */
class ExampleEventsTest {

    private static final Path EXAMPLE_EVENTS = Path.of("../docs/examples/backtest-events.jsonl");
    /** The ids the capturing cluster's registry gave the two schemas; backtest claims them before it numbers its own. */
    private static final int APPROVAL_SCHEMA_ID = 101;
    private static final int OUTCOME_SCHEMA_ID = 102;
    private static final String DEPLOY_EXECUTOR = "executor:deploy-bot";

    @Test
    void shouldCarryTheApprovalAndOutcomesAsTheirSignersSignThem() throws IOException {
        // Given li.wei's approval of the vendor visit and deploy-bot's executor's two outcomes, as they would send them
        List<String> signed = List.of(
                approval("2026-11-23T10:40:00Z",
                        new Approval("visit-5001", "li.wei@example.com", ApprovalDecision.APPROVE, "the review can share the room", "procurement-buyer", null)),
                outcome("2026-11-23T11:20:00Z", new Outcome("mig-plan-1", OutcomeStatus.COMPLETED, null, DEPLOY_EXECUTOR, null, "deploy-bot", null)),
                outcome("2026-11-23T11:45:00Z", new Outcome("mig-exec-1", OutcomeStatus.FAILED, null, DEPLOY_EXECUTOR, null, "deploy-bot", null)));

        // When the example file's raw lines are read
        List<String> raw = Files.readAllLines(EXAMPLE_EVENTS).stream().filter(line -> line.startsWith("{\"type\":\"raw\"")).toList();

        // Then they are exactly those records, and the file has no unsigned approval or outcome left
        assertThat(raw).containsExactlyElementsOf(signed);
        assertThat(Files.readString(EXAMPLE_EVENTS)).doesNotContain("\"type\":\"approval\"", "\"type\":\"outcome\"");
    }

    private static String approval(String at, Approval approval) {
        byte[] value = CapturedRecords.approval(APPROVAL_SCHEMA_ID, approval);
        String signer = approval.getApproverId();
        return CapturedRecords.raw(at, "approvals", approval.getIntentId(), value,
                CapturedRecords.signature(value, DemoKeys.privateKey(signer)), signer);
    }

    private static String outcome(String at, Outcome outcome) {
        byte[] value = CapturedRecords.outcome(OUTCOME_SCHEMA_ID, outcome);
        String signer = outcome.getReportedBy();
        return CapturedRecords.raw(at, "outcomes", outcome.getIntentId(), value,
                CapturedRecords.signature(value, DemoKeys.privateKey(signer)), signer);
    }
}
