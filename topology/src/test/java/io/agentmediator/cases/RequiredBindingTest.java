package io.agentmediator.cases;

import static io.agentmediator.cases.BoundAnswersTest.T0;
import static io.agentmediator.cases.BoundAnswersTest.approval;
import static io.agentmediator.cases.BoundAnswersTest.call;
import static io.agentmediator.cases.BoundAnswersTest.order;
import static io.agentmediator.cases.BoundAnswersTest.outcome;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.OutcomeStatus;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With {@code signatures.intentSha256: REQUIRED} a signed approval or outcome that does not name the SHA-256 of the intent it
 * answers is refused {@code UNBOUND} and changes nothing, so no captured answer can be replayed onto a later intent under the
 * same id; one that names it counts as before.
 */
class RequiredBindingTest {

    private final PipelineDriver mediator = new PipelineDriver(BoundAnswersTest.POLICY + "signatures: { intentSha256: REQUIRED }\n", T0);

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldRefuseASignedApprovalThatNamesNoIntent() {
        // Given a 6,000.00 order escalated to the board
        mediator.send(order(6_000_000_000L), T0);
        Decision escalated = mediator.decision("po-7");
        assertThat(escalated.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);

        // When the board signs an approval that names the id only
        mediator.approve(approval((String) null), TestKeys.privateKey("board@example.com"), T0.plusSeconds(60));

        // Then it is refused, and the escalation stays open
        assertThat(mediator.decision("po-7").getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
        assertThat(details("po-7")).anyMatch(detail -> detail.contains("refused UNBOUND")
                && detail.contains("here is of the one whose SHA-256 is " + escalated.getIntentSha256()));

        // While the same approval naming the intent's digest executes it
        mediator.approve(approval(escalated.getIntentSha256()), TestKeys.privateKey("board@example.com"), T0.plusSeconds(90));
        assertThat(mediator.decision("po-7").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    @Test
    void shouldRefuseASignedOutcomeThatNamesNoIntent() {
        // Given r-1 executed, taking the day's whole 1.00
        mediator.send(call("r-1", "first run"), T0);
        Decision executed = mediator.decision("r-1");
        assertThat(executed.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);

        // When its executor signs a FAILED that names the id only
        mediator.report(outcome("r-1", OutcomeStatus.FAILED, "researcher", (String) null), TestKeys.privateKey("erp-executor"),
                T0.plusSeconds(10));

        // Then it is refused and released nothing: the next call does not fit
        assertThat(details("r-1")).anyMatch(detail -> detail.contains("refused UNBOUND"));
        mediator.send(call("r-2", "second run"), T0.plusSeconds(20));
        assertThat(mediator.decision("r-2").getOutcome()).isEqualTo(DecisionOutcome.REJECT);
        assertThat(mediator.decision("r-2").getReasons()).anySatisfy(reason -> assertThat(reason.getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED));

        // While the FAILED naming the intent's digest releases the day's 1.00 for the next call
        mediator.report(outcome("r-1", OutcomeStatus.FAILED, "researcher", executed.getIntentSha256()), TestKeys.privateKey("erp-executor"),
                T0.plusSeconds(30));
        mediator.send(call("r-3", "third run"), T0.plusSeconds(40));
        assertThat(mediator.decision("r-3").getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
    }

    private List<String> details(String intentId) {
        return mediator.caseFiles().get(intentId).getTimeline().stream().map(TimelineEntry::getDetail).toList();
    }
}
