package io.agentmediator.gate;

import static io.agentmediator.gate.GateFixture.intent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.agentmediator.budget.WindowUsage;
import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.CaseStage;
import io.agentmediator.schema.CheckResult;
import io.agentmediator.schema.CheckStatus;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.signing.DecisionVerifier;
import io.agentmediator.signing.IntentSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The agent gate through the real topology: every reason code, their precedence, and the state left behind. */
class GateTopologyTest {

    /** Monday 2026-11-23, 10:00 in Berlin. */
    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private final GateFixture gate = new GateFixture(T0);

    @AfterEach
    void tearDown() {
        gate.close();
    }

    @Test
    void shouldExecuteAnIntentWithinEveryLimitAndSignTheDecision() {
        gate.send(intent("ok-1").build(), T0);

        Decision decision = gate.decision();
        assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        assertThat(decision.getReasons()).isEmpty();
        assertThat(decision.getPolicyVersion()).isEqualTo("gate-1");
        assertThat(decision.getDeadline()).isNull();
        assertThat(new DecisionVerifier().verify(decision, GateFixture.MEDIATOR_KEY.getPublic())).isTrue();
    }

    @Test
    void shouldSignEscalationsAndRejectionsAsValidlyButOrderOnlyAnExecutionCarriedOut() {
        // Given an intent executed, one escalated, one rejected, and one anyone could write (under another agent's key)
        gate.send(intent("order-executed").build(), T0);
        gate.send(intent("order-escalated").setConfidence(0.1).build(), T0);
        gate.send(intent("order-rejected").setAction("payroll.run").build(), T0);
        gate.sendAs("procurement-buyer", intent("order-forged").build(), T0);

        // When an executor reads each decision, wherever it found it
        DecisionVerifier verifier = new DecisionVerifier();
        List<Decision> decisions = gate.decisions();

        // Then every one is the mediator's, but only the execution orders anything carried out
        assertThat(decisions).extracting(Decision::getOutcome).containsExactly(DecisionOutcome.EXECUTE, DecisionOutcome.ESCALATE,
                DecisionOutcome.REJECT, DecisionOutcome.REJECT);
        assertThat(decisions).allSatisfy(decision -> assertThat(verifier.verify(decision, GateFixture.MEDIATOR_KEY.getPublic())).isTrue());
        assertThat(decisions).filteredOn(decision -> verifier.ordersExecution(decision, GateFixture.MEDIATOR_KEY.getPublic()))
                .extracting(Decision::getIntentId).containsExactly("order-executed");
    }

    @Test
    void shouldListDecisionsInTheOrderTheIntentsArrivedWhateverTheirTopicOrIds() {
        // Given, at one instant, an intent rejected, one executed and one escalated, with ids in no helpful order
        gate.send(intent("c-rejected").setAction("payroll.run").build(), T0);
        gate.send(intent("a-executed").build(), T0);
        gate.send(intent("b-escalated").setConfidence(0.1).build(), T0);

        // Then the decisions come back in arrival order, not grouped by topic nor sorted by id
        assertThat(gate.decisions()).extracting(Decision::getIntentId, Decision::getOutcome).containsExactly(
                tuple("c-rejected", DecisionOutcome.REJECT),
                tuple("a-executed", DecisionOutcome.EXECUTE),
                tuple("b-escalated", DecisionOutcome.ESCALATE));
    }

    @Nested
    class Rejections {

        @Test
        void shouldRejectMalformedNamingEveryBadField() {
            gate.send(intent("bad-1").setCostMicros(-5).setConfidence(1.5).setAction(" ").build(), T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(reason.getMessage()).contains("costMicros", "confidence", "action");
        }

        @Test
        void shouldGiveAnIntentWithoutAnIdACaseFileOfItsOwn() {
            gate.send(intent("").build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getMessage()).contains("intentId is blank");
            assertThat(gate.caseFiles().keySet()).singleElement().asString().startsWith("unidentified:agent.intents-0@");
        }

        @Test
        void shouldRejectAnIntentUnderAnotherAgentsKey() {
            gate.sendAs("procurement-buyer", intent("km-1").build(), T0);

            Decision decision = gate.decision();
            assertThat(onlyReason(decision, DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.KEY_MISMATCH);
            assertThat(decision.getAgentId()).isEqualTo("finance-analyst");
        }

        @Test
        void shouldRejectAKeyThatIsNotUtf8EvenWhenItsLenientReadingIsTheAgentId() {
            // Given an agent id with U+FFFD in it, and two keys that a lenient reading turns into it: one with an invalid byte,
            // the other the character's own encoding
            String agentId = "finance-analyst-\uFFFD";
            byte[] invalid = {'f', 'i', 'n', 'a', 'n', 'c', 'e', '-', 'a', 'n', 'a', 'l', 'y', 's', 't', '-', (byte) 0xFF};
            assertThat(new String(invalid, StandardCharsets.UTF_8)).isEqualTo(agentId);

            // When each keys an intent of that agent
            gate.sendKeyed(invalid, intent("utf-1").setAgentId(agentId).build(), T0);
            Decision invalidKey = gate.decision();
            gate.sendKeyed(agentId.getBytes(StandardCharsets.UTF_8), intent("utf-2").setAgentId(agentId).build(), T0);
            Decision validKey = gate.decision();

            // Then the invalid key is malformed, so it cannot place the agent's state on a partition of its own
            Reason reason = onlyReason(invalidKey, DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(reason.getMessage()).contains("the record key is not valid UTF-8");
            assertThat(validKey.getReasons()).extracting(Reason::getMessage).noneMatch(message -> message.contains("UTF-8"));
        }

        @Test
        void shouldNeverFileARejectionOfAnUntrustedIdOverTheCaseFileOfTheIntentThatIdNames() {
            // Given an executed intent
            gate.send(intent("kept-1").build(), T0);

            // When its id comes back malformed, and under another agent's key
            gate.send(intent("kept-1").setCostMicros(-1).build(), T0.plusSeconds(1));
            gate.sendAs("procurement-buyer", intent("kept-1").build(), T0.plusSeconds(2));

            // Then both are rejected and filed under where they were read; the id's case file is still the executed one
            Map<String, AuditRecord> caseFiles = gate.caseFiles();
            assertThat(caseFiles.get("kept-1").getStage()).isEqualTo(CaseStage.EXECUTE);
            assertThat(caseFiles.keySet()).filteredOn(key -> key.startsWith("untrusted:agent.intents-0@")).hasSize(2)
                    .allSatisfy(key -> assertThat(key).endsWith(":kept-1"));
        }

        @Test
        void shouldRejectAnIntentThatExpiredBeforeItArrived() {
            gate.send(intent("ex-1").setExpiresAt(T0.minusSeconds(1)).build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.EXPIRED);
        }

        @Test
        void shouldRejectAnAgentThePolicyDoesNotKnow() {
            gate.send(intent("uk-1").setAgentId("shadow-agent").build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.UNKNOWN_AGENT);
        }

        @Test
        void shouldRejectEverythingASuspendedAgentSends() {
            gate.send(intent("sus-1").setAgentId("legacy-bot").build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.AGENT_SUSPENDED);
        }

        @Test
        void shouldRejectAnActionOutsideTheAgentsCapabilities() {
            gate.send(intent("cap-1").setAction("payment.send").build(), T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.ACTION_NOT_ALLOWED);
            assertThat(reason.getMessage()).contains("payment.send", "invoice.*");
        }

        @Test
        void shouldRejectATargetOutsideTheAgentsCapabilities() {
            gate.send(intent("cap-2").setTarget("llm:large").build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.TARGET_NOT_ALLOWED);
        }

        @Test
        void shouldRejectDataOfAClassTheAgentMayNotTouch() {
            gate.send(intent("cap-3").setDataClasses(List.of("INTERNAL", "PII")).build(), T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.DATA_CLASS_NOT_ALLOWED);
            assertThat(reason.getMessage()).contains("PII");
        }

        @Test
        void shouldRejectDataFlowingWhereItsClassMayNotGo() {
            gate.send(intent("flow-1").setTarget("llm:small").setDataClasses(List.of("CONFIDENTIAL")).build(), T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.DATA_FLOW_NOT_ALLOWED);
            assertThat(reason.getMessage()).contains("CONFIDENTIAL", "llm:small");
        }

        @Test
        void shouldRejectByAnEnforcedRuleNamingItAndKeepNoReservation() {
            gate.send(intent("rule-1").setAttributes(Map.of("vendor", "acme-shell-co")).build(), T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE);
            assertThat(reason.getRuleId()).isEqualTo("blocked-vendor");
            assertThat(reason.getMessage()).isEqualTo("acme-shell-co is on the sanctions list");
            assertThat(day(T0).reservedMicros()).isZero();
        }
    }

    @Nested
    class Identity {

        @Test
        void shouldExecuteAnIntentSignedOverItsExactBytes() {
            AgentIntent signed = quote("sig-1");
            byte[] signature = IntentSignatures.sign(gate.serialize(signed), GateFixture.AGENT_KEY.getPrivate());

            gate.sendSigned(signed, signature, T0);

            assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }

        @Test
        void shouldRejectAnUnsignedIntentOfAnAgentWithAKey() {
            gate.sendSigned(quote("sig-2"), null, T0);

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.SIGNATURE_INVALID);
            assertThat(reason.getMessage()).contains("no signature header");
        }

        @Test
        void shouldRejectASignatureOverOtherBytes() {
            byte[] forOther = IntentSignatures.sign(gate.serialize(quote("other")), GateFixture.AGENT_KEY.getPrivate());

            gate.sendSigned(quote("sig-3"), forOther, T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getMessage()).contains("does not verify");
        }

        @Test
        void shouldNotLetAForgedOrUnknownSendersIntentSpendAnAgentsNextId() {
            // Given the agent's next id sent first by someone without its key, then by an agent the policy does not know
            gate.sendSigned(quote("next-1"), null, T0);
            gate.send(intent("next-1").setAgentId("shadow-agent").build(), T0.plusSeconds(1));

            // When the agent sends it, signed
            AgentIntent genuine = quote("next-1");
            gate.sendSigned(genuine, IntentSignatures.sign(gate.serialize(genuine), GateFixture.AGENT_KEY.getPrivate()), T0.plusSeconds(2));

            // Then the two before were refused without remembering the id, and the agent's intent is decided, its case file under its id
            assertThat(gate.decisions()).extracting(decision -> decision.getReasons().isEmpty() ? null : decision.getReasons().get(0).getCode())
                    .containsExactly(ReasonCode.SIGNATURE_INVALID, ReasonCode.UNKNOWN_AGENT, null);
            Map<String, AuditRecord> caseFiles = gate.caseFiles();
            assertThat(caseFiles.get("next-1").getStage()).isEqualTo(CaseStage.EXECUTE);
            assertThat(caseFiles.keySet()).filteredOn(key -> key.startsWith("untrusted:")).hasSize(2);
        }

        @Test
        void shouldNameTheKeyEveryDecisionIsSignedWithBesideIt() {
            gate.send(intent("kid-1").build(), T0);
            gate.send(intent("kid-2").setCostMicros(-1).build(), T0.plusSeconds(1));

            assertThat(gate.decisionRecords()).hasSize(2).allSatisfy(record -> {
                assertThat(record.headers().headers(IntentSignatures.KEY_ID_HEADER)).singleElement()
                        .satisfies(header -> assertThat(new String(header.value(), StandardCharsets.UTF_8)).isEqualTo("mediator-test"));
                assertThat(new DecisionVerifier().verify(record.value(), GateFixture.MEDIATOR_KEY.getPublic())).isTrue();
            });
        }

        @Test
        void shouldNotLetAForgedExpiredOrSuspendedIntentSpendAnAgentsId() {
            // Given unsigned intents of agents with keys, rejected before their signatures are checked: one expired, one of a
            // suspended agent
            gate.sendSigned(quoteOf("exp-1").setExpiresAt(T0.minusSeconds(1)).build(), null, T0);
            gate.sendSigned(quoteOf("frz-1").setAgentId("frozen-signer").build(), null, T0.plusSeconds(1));

            // When the agents send those ids signed, each twice
            sendTwiceSigned(quoteOf("exp-1").build(), T0.plusSeconds(2));
            sendTwiceSigned(quoteOf("frz-1").setAgentId("frozen-signer").build(), T0.plusSeconds(4));

            // Then the forged ones spent nothing and were filed apart; the genuine ones are decided under their ids, and remembered
            assertThat(gate.decisions()).extracting(decision -> decision.getReasons().isEmpty() ? null : decision.getReasons().get(0).getCode())
                    .containsExactly(ReasonCode.EXPIRED, ReasonCode.AGENT_SUSPENDED, null, ReasonCode.DUPLICATE,
                            ReasonCode.AGENT_SUSPENDED, ReasonCode.DUPLICATE);
            Map<String, AuditRecord> caseFiles = gate.caseFiles();
            assertThat(caseFiles.get("exp-1").getStage()).isEqualTo(CaseStage.EXECUTE);
            assertThat(caseFiles.get("frz-1").getStage()).isEqualTo(CaseStage.REJECT);
            assertThat(caseFiles.keySet()).filteredOn(key -> key.startsWith("untrusted:")).hasSize(2);
        }

        @Test
        void shouldRememberTheIdOfAnExpiredIntentItsAgentSigned() {
            sendTwiceSigned(quoteOf("exp-2").setExpiresAt(T0.minusSeconds(1)).build(), T0);

            assertThat(gate.decisions()).extracting(decision -> decision.getReasons().get(0).getCode())
                    .containsExactly(ReasonCode.EXPIRED, ReasonCode.DUPLICATE);
            assertThat(gate.caseFiles().get("exp-2").getStage()).isEqualTo(CaseStage.REJECT);
        }

        private void sendTwiceSigned(AgentIntent intent, Instant at) {
            byte[] signature = IntentSignatures.sign(gate.serialize(intent), GateFixture.AGENT_KEY.getPrivate());
            gate.sendSigned(intent, signature, at);
            gate.sendSigned(intent, signature, at.plusSeconds(1));
        }

        private AgentIntent quote(String intentId) {
            return quoteOf(intentId).build();
        }

        private AgentIntent.Builder quoteOf(String intentId) {
            return intent(intentId).setAgentId("signed-agent").setAction("quote.request").setTarget("supplier-portal");
        }
    }

    @Nested
    class Duplicates {

        @Test
        void shouldAnswerARetryDuplicateAndLeaveTheOriginalsCaseFileAndBudgetAsTheyWere() {
            gate.send(intent("dup-1").setCostMicros(2_000_000).build(), T0);
            AuditRecord original = gate.caseFiles().get("dup-1");
            gate.decisions();

            gate.send(intent("dup-1").setCostMicros(2_000_000).build(), T0.plusSeconds(5));

            Reason reason = onlyReason(gate.decision(), DecisionOutcome.REJECT);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.DUPLICATE);
            assertThat(gate.caseFiles()).doesNotContainKey("dup-1");
            assertThat(original.getStage()).isEqualTo(CaseStage.EXECUTE);
            assertThat(day(T0).reservedMicros()).isEqualTo(2_000_000);
        }

        @Test
        void shouldStillAnswerDuplicateAfterTheBudgetChanged() {
            gate.send(intent("dup-2").setCostMicros(9_000_000).build(), T0);
            gate.send(intent("dup-3").setCostMicros(9_000_000).build(), T0.plusSeconds(1));
            gate.decisions();

            gate.send(intent("dup-2").setCostMicros(1).build(), T0.plusSeconds(2));

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.DUPLICATE);
            assertThat(day(T0).reservedMicros()).isEqualTo(9_000_000);
        }

        @Test
        void shouldNotRememberAnIntentRejectedBeforeTheDuplicateCheck() {
            gate.sendAs("someone-else", intent("dup-4").build(), T0);
            gate.decisions();

            gate.send(intent("dup-4").build(), T0.plusSeconds(1));

            assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }
    }

    @Nested
    class RateAndBudget {

        @Test
        void shouldRateLimitInEventTimeAndSpendNothingOnARateLimitedIntent() {
            for (int i = 0; i < 4; i++) {
                gate.send(intent("rate-" + i).build(), T0);
            }
            gate.send(intent("rate-later").build(), T0.plusSeconds(1));

            List<Decision> decisions = gate.decisions();
            assertThat(decisions).extracting(Decision::getOutcome).containsExactly(
                    DecisionOutcome.EXECUTE, DecisionOutcome.EXECUTE, DecisionOutcome.EXECUTE, DecisionOutcome.REJECT, DecisionOutcome.EXECUTE);
            assertThat(decisions.get(3).getReasons().get(0).getCode()).isEqualTo(ReasonCode.RATE_LIMITED);
            assertThat(day(T0).reservedMicros()).isEqualTo(4_000_000);
        }

        @Test
        void shouldAdmitUpToExactlyTheLimitAndRejectBeyondIt() {
            gate.send(intent("b-1").setCostMicros(6_000_000).build(), T0);
            gate.send(intent("b-2").setCostMicros(4_000_000).build(), T0.plusSeconds(1));
            gate.send(intent("b-3").setCostMicros(1).build(), T0.plusSeconds(2));

            List<Decision> decisions = gate.decisions();
            assertThat(decisions).extracting(Decision::getOutcome)
                    .containsExactly(DecisionOutcome.EXECUTE, DecisionOutcome.EXECUTE, DecisionOutcome.REJECT);
            assertThat(decisions.get(2).getReasons().get(0).getCode()).isEqualTo(ReasonCode.BUDGET_EXCEEDED);
            assertThat(decisions.get(2).getReasons().get(0).getMessage()).contains("DAY");
            assertThat(day(T0).reservedMicros()).isEqualTo(10_000_000);
        }

        @Test
        void shouldOpenANewDayAtMidnightInThePolicysZoneButKeepTheMonth() {
            gate.send(intent("roll-1").setCostMicros(10_000_000).build(), T0);
            Instant berlinMidnight = T0.atZone(BERLIN).toLocalDate().plusDays(1).atStartOfDay(BERLIN).toInstant();
            gate.send(intent("roll-2").setCostMicros(1).build(), berlinMidnight.minusMillis(1));
            gate.send(intent("roll-3").setCostMicros(10_000_000).build(), berlinMidnight);
            gate.send(intent("roll-4").setCostMicros(10_000_000).build(), berlinMidnight.plus(Duration.ofDays(1)));

            assertThat(gate.decisions()).extracting(Decision::getOutcome).containsExactly(
                    DecisionOutcome.EXECUTE, DecisionOutcome.REJECT, DecisionOutcome.EXECUTE, DecisionOutcome.REJECT);
            assertThat(gate.usage("finance-analyst", berlinMidnight.plus(Duration.ofDays(1)), BERLIN))
                    .filteredOn(u -> u.window().window() == BudgetWindow.MONTH)
                    .singleElement()
                    .satisfies(month -> assertThat(month.reservedMicros()).isEqualTo(20_000_000));
        }

        @Test
        void shouldRecordTheBudgetAfterTheDecisionInTheCaseFile() {
            gate.send(intent("audit-b").setCostMicros(8_500_000).build(), T0);

            AuditRecord caseFile = gate.caseFiles().get("audit-b");
            assertThat(caseFile.getBudgets()).hasSize(2).anySatisfy(b -> {
                assertThat(b.getScope()).isEqualTo("agent:finance-analyst");
                assertThat(b.getWindow()).isEqualTo("DAY");
                assertThat(b.getReservedMicros()).isEqualTo(8_500_000);
                assertThat(b.getLimitMicros()).isEqualTo(10_000_000);
                assertThat(b.getWindowStart()).isEqualTo(T0.atZone(BERLIN).toLocalDate().atStartOfDay(BERLIN).toInstant());
            });
        }
    }

    @Nested
    class Escalations {

        @Test
        void shouldEscalateOverAuthorityToTheFirstTierWithADeadlineAndHoldTheReservation() {
            gate.send(intent("esc-1").setCommitmentMicros(6_000_000_000L).setCostMicros(2_000_000).build(), T0);

            Decision decision = gate.decision();
            assertThat(onlyReason(decision, DecisionOutcome.ESCALATE).getCode()).isEqualTo(ReasonCode.OVER_AUTHORITY);
            assertThat(decision.getTier()).isEqualTo("MANAGER");
            assertThat(decision.getDeadline()).isEqualTo(T0.plus(Duration.ofHours(4)));
            assertThat(day(T0).reservedMicros()).isEqualTo(2_000_000);
            assertThat(gate.openEscalation("esc-1").getDecision()).isEqualTo(decision);
        }

        @Test
        void shouldEscalateLowConfidence() {
            gate.send(intent("esc-2").setConfidence(0.4).build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.ESCALATE).getCode()).isEqualTo(ReasonCode.LOW_CONFIDENCE);
        }

        @Test
        void shouldEscalateAnotherDepartmentsBusinessToTheBoard() {
            gate.send(intent("esc-3").setDepartments(List.of("finance", "operations")).build(), T0);

            Decision decision = gate.decision();
            assertThat(onlyReason(decision, DecisionOutcome.ESCALATE).getCode()).isEqualTo(ReasonCode.CROSS_DEPARTMENT);
            assertThat(decision.getTier()).isEqualTo("BOARD");
        }

        @Test
        void shouldEscalateByRuleAtTheRulesTier() {
            gate.send(intent("esc-4").setAttributes(Map.of("timeVariancePct", "15.1")).build(), T0);
            gate.send(intent("esc-5").setAttributes(Map.of("timeVariancePct", "15.0")).build(), T0.plusSeconds(1));

            List<Decision> decisions = gate.decisions();
            assertThat(onlyReason(decisions.get(0), DecisionOutcome.ESCALATE).getRuleId()).isEqualTo("schedule-variance");
            assertThat(decisions.get(0).getTier()).isEqualTo("MANAGER");
            assertThat(decisions.get(1).getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
        }

        @Test
        void shouldEscalateARuleThatFailsToEvaluate() {
            gate.send(intent("esc-6").setAttributes(Map.of("ratio", "not a number")).build(), T0);

            Decision decision = gate.decision();
            Reason reason = onlyReason(decision, DecisionOutcome.ESCALATE);
            assertThat(reason.getCode()).isEqualTo(ReasonCode.RULE_ERROR);
            assertThat(reason.getRuleId()).isEqualTo("ratio-check");
            assertThat(decision.getTier()).isEqualTo("BOARD");
        }

        @Test
        void shouldCombineEscalationsAndLetTheHighestTierWin() {
            gate.send(intent("esc-7").setCommitmentMicros(9_000_000_000L).setConfidence(0.1)
                    .setDepartments(List.of("operations")).build(), T0);

            Decision decision = gate.decision();
            assertThat(decision.getOutcome()).isEqualTo(DecisionOutcome.ESCALATE);
            assertThat(decision.getTier()).isEqualTo("BOARD");
            assertThat(decision.getReasons()).extracting(Reason::getCode)
                    .containsExactly(ReasonCode.OVER_AUTHORITY, ReasonCode.LOW_CONFIDENCE, ReasonCode.CROSS_DEPARTMENT);
        }

        @Test
        void shouldLetARejectionWinOverAnyEscalation() {
            gate.send(intent("esc-8").setCommitmentMicros(9_000_000_000L).setTarget("llm:large").build(), T0);

            assertThat(onlyReason(gate.decision(), DecisionOutcome.REJECT).getCode()).isEqualTo(ReasonCode.TARGET_NOT_ALLOWED);
        }

        @Test
        void shouldRecordAnAuditOnlyRuleWithoutChangingTheOutcome() {
            gate.send(intent("trial-1").setCostMicros(4_000_000).build(), T0);

            assertThat(gate.decision().getOutcome()).isEqualTo(DecisionOutcome.EXECUTE);
            assertThat(gate.caseFiles().get("trial-1").getChecks())
                    .filteredOn(c -> "big-spend-trial".equals(c.getRuleId()))
                    .singleElement()
                    .satisfies(c -> assertThat(c.getStatus()).isEqualTo(CheckStatus.AUDIT));
        }
    }

    @Test
    void shouldWriteEveryCheckInOrderIntoTheCaseFile() {
        gate.send(intent("story-1").build(), T0);

        AuditRecord caseFile = gate.caseFiles().get("story-1");
        assertThat(caseFile.getChecks()).extracting(CheckResult::getCheck).startsWith(
                "well-formed", "key-matches-agent", "not-duplicate", "not-expired", "agent-known", "not-suspended",
                "signature", "expiry-within-replay-window", "capabilities", "rate-limit", "budget");
        assertThat(caseFile.getChecks()).extracting(CheckResult::getCheck)
                .contains("rule:blocked-vendor", "rule:schedule-variance", "authority", "confidence", "cross-department");
        assertThat(caseFile.getPolicyVersion()).isEqualTo("gate-1");
        assertThat(caseFile.getTimeline()).extracting(e -> e.getEvent()).containsExactly("RECEIVED", "DECIDED");
        assertThat(caseFile.getIntent().getIntentId()).isEqualTo("story-1");
        assertThat(new String(caseFile.getDecision().getIntentId().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).isEqualTo("story-1");
    }

    private WindowUsage day(Instant at) {
        return gate.usage("finance-analyst", at, BERLIN).stream().filter(u -> u.window().window() == BudgetWindow.DAY).findFirst().orElseThrow();
    }

    private static Reason onlyReason(Decision decision, DecisionOutcome outcome) {
        assertThat(decision.getOutcome()).as(decision.toString()).isEqualTo(outcome);
        assertThat(decision.getReasons()).hasSize(1);
        return decision.getReasons().get(0);
    }
}
