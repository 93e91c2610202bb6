package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.BudgetState;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The case file of an intent decided when the resource ledger answers shows its agent's budget as it
 * stands at that decision, not as it stood when the intent was parked: compliance's budget-windows query
 * takes each window's latest snapshot by the time of its DECIDED step, and another intent of the agent may
 * have been decided in between.
 */
class ClaimedCaseFileBudgetsTest {

    private static final Instant T0 = ParkedClaims.T0;

    @TempDir File stateDir;
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, new CurrentPolicy(ParkedClaims.policy("claimed-budgets-1", false)), new Suspensions(),
                Duration.ofMinutes(5), T0);
    }

    @Test
    void aGrantedIntentsCaseFileShowsTheBudgetAsItStandsWhenTheLedgerAnswers() {
        decidedWhileParked(LedgerReplyKind.GRANTED, DecisionOutcome.EXECUTE);
    }

    @Test
    void aConflictedIntentsCaseFileShowsTheBudgetAsItStandsWhenTheLedgerAnswers() {
        decidedWhileParked(LedgerReplyKind.CONFLICT, DecisionOutcome.ESCALATE);
    }

    private void decidedWhileParked(LedgerReplyKind answer, DecisionOutcome outcome) {
        // Given booker's claim of 3.00 out to the ledger, and then an intent of 2.00 with no claims, executed at once
        parked.send(ParkedClaims.roomFor("i-1", "booker", 3_000_000), T0);
        AgentIntent noClaims = AgentIntent.newBuilder(ParkedClaims.roomFor("i-2", "booker", 2_000_000)).setClaims(List.of()).build();
        parked.send(noClaims, T0.plusSeconds(1));
        assertThat(parked.decisionTo("execute-sink").getIntentId()).isEqualTo("i-2");
        assertThat(parked.reserved("booker", T0)).isEqualTo(5_000_000);

        // When the ledger answers the claim
        List<String> granted = answer == LedgerReplyKind.GRANTED ? List.of("resource:room-1") : List.of();
        parked.answer(ParkedClaims.reply(answer, "i-1", "booker", granted), T0.plusSeconds(2));

        // Then its case file's budget is the 5.00 reserved now, not the 3.00 of its arrival
        AuditRecord caseFile = lastCaseFile("i-1");
        assertThat(caseFile.getStage().name()).isEqualTo(outcome.name());
        assertThat(caseFile.getBudgets()).extracting(BudgetState::getScope, BudgetState::getWindow, BudgetState::getReservedMicros)
                .containsExactly(tuple("agent:booker", "DAY", 5_000_000L));
    }

    private AuditRecord lastCaseFile(String intentId) {
        List<AuditRecord> caseFiles = parked.forwardedTo("audit-sink").stream()
                .map(forward -> ((CaseFileValue) forward.record().value()).caseFile())
                .filter(caseFile -> caseFile.getIntentId().equals(intentId))
                .toList();
        return caseFiles.get(caseFiles.size() - 1);
    }
}
