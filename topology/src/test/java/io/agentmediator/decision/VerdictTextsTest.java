package io.agentmediator.decision;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.serde.GeneratedClassTrust;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerdictTextsTest {

    @BeforeAll
    static void trustTheGeneratedClasses() {
        // As the mediator's serdes do before any verdict is built: Avro's builders copy enums only of trusted classes.
        GeneratedClassTrust.trustClassesOf(Reason.getClassSchema());
        GeneratedClassTrust.trustClassesOf(CheckResult.getClassSchema());
    }

    @Test
    void shouldKeepAnOrdinaryTextAsItIs() {
        String text = "agent finance-analyst may not act on target llm:large (allowed: erp, reports/*)";

        assertThat(new VerdictTexts().bounded(text)).isSameAs(text);
    }

    @Test
    void shouldCutAnEscapedTextToItsHeadAndLength() {
        String kept = new VerdictTexts().bounded("\u200b".repeat(65_535));

        assertThat(kept).startsWith("\\u200b\\u200b").endsWith("…[393210 chars]")
                .hasSize(VerdictTexts.TEXT_MAX_CHARS + "…[393210 chars]".length());
    }

    @Test
    void shouldKeepOnlyTheLengthOfTextsPastTheBudget() {
        VerdictTexts texts = new VerdictTexts();
        List<String> kept = IntStream.range(0, 40).mapToObj(i -> texts.bounded("x".repeat(1_500))).toList();

        assertThat(kept.stream().mapToInt(String::length).sum()).isLessThanOrEqualTo(VerdictTexts.BUDGET_CHARS + 40 * 32);
        assertThat(kept.get(0)).hasSize(1_500);
        assertThat(kept.get(39)).isEqualTo("…[1500 chars]");
    }

    @Test
    void shouldChangeNothingInAVerdictBuiltAgainFromOneItBounded() {
        List<Reason> reasons = List.of(new Reason(ReasonCode.RULE, "r1", "\u202e".repeat(10_000)));
        List<CheckResult> checks = Collections.nCopies(30, new CheckResult("rule:r", CheckStatus.FAIL, ReasonCode.RULE, "r", "y".repeat(3_000)));
        Verdict first = new Verdict(DecisionOutcome.REJECT, null, reasons, checks);

        Verdict again = new Verdict(first.outcome(), first.tier(), first.reasons(), first.checks());

        assertThat(again).isEqualTo(first);
        assertThat(first.reasons().get(0).getMessage()).endsWith("…[60000 chars]");
        assertThat(first.checks().get(0).getDetail()).hasSize(2_000 + "…[3000 chars]".length());
        assertThat(first.checks().get(29).getDetail()).isEqualTo("…[3000 chars]");
    }
}
