package io.agentmediator.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.controls.Suspensions;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyCodec;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.RulePolicy;
import io.agentmediator.schema.internal.LedgerReplyKind;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An intent whose claims were with the resource ledger when a policy with an enforced REJECT rule that matches it came is
 * rejected as the gate now rejects it, whatever the ledger answered: neither executed under that policy's version nor
 * escalated to an approver who could only deny it. So is one that such a rule cannot judge.
 */
class RuleWhileClaimingTest {

    private static final Instant T0 = ParkedClaims.T0;
    private static final Policy BOOKING = ParkedClaims.policy("rules-1", false);

    @TempDir File stateDir;
    private final CurrentPolicy policy = new CurrentPolicy(BOOKING);
    private ParkedClaims parked;

    @BeforeEach
    void setUp() {
        parked = new ParkedClaims(stateDir, policy, new Suspensions(), Duration.ofMinutes(5), T0);
    }

    @Test
    void shouldRejectAGrantedClaimThatARejectRulePublishedMeanwhileMatches() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withRule("rules-2", "intent.action == 'room.book'"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        Decision rejected = parked.decisionTo("reject-sink");
        assertThat(rejected.getPolicyVersion()).isEqualTo("rules-2");
        assertThat(rejected.getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE);
            assertThat(reason.getMessage()).contains("rooms are frozen");
        });
        assertThat(parked.reserved("booker", T0, BOOKING)).isZero();
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void shouldNameTheRuleThatRejectsAClaimAnsweredUnderAPolicyPublishedMeanwhileAsTheGateNamesIt() {
        // The decision's contract: "For RULE and RULE_ERROR: the policy rule's id"; the gate's check of a rule is rule:<id>.
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withRule("rules-2", "intent.action == 'room.book'"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.CONFLICT, "i-1", "booker", List.of()), T0.plusSeconds(1));

        assertThat(parked.decisionTo("reject-sink").getReasons()).singleElement()
                .satisfies(reason -> assertThat(reason.getRuleId()).isEqualTo("room-freeze"));
        assertThat(parked.caseFile().getChecks()).last().satisfies(check -> {
            assertThat(check.getCheck()).isEqualTo("rule:room-freeze");
            assertThat(check.getRuleId()).isEqualTo("room-freeze");
        });
    }

    @Test
    void shouldRejectAGrantedClaimThatARejectRulePublishedMeanwhileCannotJudge() {
        // Given a rule that fails on every intent: the agent's attributes hold no 'vendor'
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withRule("rules-2", "intent.attributes['vendor'] == 'acme'"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        // Then it is rejected as the rule might have rejected it, saying why, and what it held is given back
        assertThat(parked.forwardedTo("execute-sink")).isEmpty();
        assertThat(parked.decisionTo("reject-sink").getReasons()).singleElement().satisfies(reason -> {
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(reason.getRuleId()).isEqualTo("room-freeze");
            assertThat(reason.getMessage()).contains("rule room-freeze could not be evaluated").contains("vendor");
        });
        assertThat(parked.caseFile().getChecks()).last().satisfies(check -> assertThat(check.getCheck()).isEqualTo("rule:room-freeze"));
        parked.assertReleasedOnly("resource:room-1");
    }

    @Test
    void shouldExecuteAGrantedClaimNoRuleOfThePolicyInForceRejects() {
        parked.send(ParkedClaims.roomFor("i-1", "booker", 2_000_000), T0);
        policy.replace(withRule("rules-2", "intent.action == 'wire.send'"));
        parked.context.resetForwards();

        parked.answer(ParkedClaims.reply(LedgerReplyKind.GRANTED, "i-1", "booker", List.of("resource:room-1")), T0.plusSeconds(1));

        assertThat(parked.decisionTo("execute-sink").getPolicyVersion()).isEqualTo("rules-2");
    }

    private static Policy withRule(String version, String when) {
        PolicyDocument document = PolicyCodec.toAvro(ParkedClaims.policy(version, false));
        document.setRules(List.of(RulePolicy.newBuilder().setId("room-freeze").setWhen(when).setEffect("REJECT").setTier(null)
                .setMode("ENFORCE").setMessage("rooms are frozen").build()));
        return PolicyCodec.fromAvro(document).policy();
    }
}
