package io.agentmediator.gate.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.Contracts;
import io.agentmediator.gate.GateInput;
import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.Policy;
import io.agentmediator.policy.PolicyParser;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ReasonCode;
import io.agentmediator.schema.ResourceClaim;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Each check alone, at its boundaries. */
class ChecksTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final Policy POLICY = PolicyParser.parse("checks.yaml", """
            version: "c-1"
            defaults: { minConfidence: 0.6, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: analyst
                department: finance
                capabilities:
                  actions: ["invoice.*", "report.generat?"]
                  targets: ["erp", "llm:*"]
                  dataClasses: [INTERNAL, CONFIDENTIAL]
                authority: { maxCommitmentMicros: 5000 }
              - id: drifter
                capabilities: { actions: ["*"], targets: ["*"] }
            dataFlows:
              CONFIDENTIAL: ["erp", "vault:*"]
            """).policy();

    static {
        Contracts.trustGeneratedClasses();
    }

    @Nested
    class WellFormed {

        private final WellFormedCheck check = new WellFormedCheck();

        @Test
        void shouldAcceptZeroAmountsAndTheEdgesOfConfidence() {
            assertThat(check.check(input(intent().setCostMicros(0).setConfidence(0.0).build()))).isEmpty();
            assertThat(check.check(input(intent().setCommitmentMicros(0).setConfidence(1.0).build()))).isEmpty();
            assertThat(check.check(input(intent().setCostMicros(InputLimits.MAX_AMOUNT_MICROS).build()))).isEmpty();
        }

        @Test
        void shouldNameEveryProblemOfAClaim() {
            ResourceClaim empty = new ResourceClaim("", 0L, T0, T0);

            Rejection rejection = check.check(input(intent().setClaims(List.of(empty)).build())).orElseThrow();

            assertThat(rejection.code()).isEqualTo(ReasonCode.MALFORMED);
            assertThat(rejection.message()).contains("claims[0].resourceId is blank", "claims[0].quantity must be at least 1",
                    "claims[0] window is empty");
        }

        @Test
        void shouldRejectAResourceIdOutsideUnicodeNfcAndAcceptItsNfcSpelling() {
            ResourceClaim decomposed = new ResourceClaim("desk:Ange\u0301lique", 1L, null, null);
            ResourceClaim composed = new ResourceClaim("desk:Ang\u00E9lique", 1L, null, null);

            assertThat(check.check(input(intent().setClaims(List.of(composed, decomposed)).build())).orElseThrow().message())
                    .contains("claims[1].resourceId is not in Unicode normalization form C (NFC): send \"desk:Ang\\u00E9lique\", not"
                            + " \"desk:Ange\\u0301lique\"")
                    .doesNotContain("claims[0]");
            assertThat(check.check(input(intent().setClaims(List.of(composed)).build()))).isEmpty();
        }

        @Test
        void shouldShowALongResourceIdOutsideNfcFromJustBeforeWhereItsSpellingsPart() {
            String floor = "building:north/floor:" + "7".repeat(200) + "/";
            ResourceClaim decomposed = new ResourceClaim(floor + "Ange\u0301lique", 1L, null, null);

            String message = check.check(input(intent().setClaims(List.of(decomposed)).build())).orElseThrow().message();

            assertThat(message).contains("send ...\"777777777777/Ang\\u00E9lique\", not ...\"777777777777/Ange\\u0301lique\"")
                    .doesNotContain("building:north");
        }

        @Test
        void shouldCutALongResourceIdOutsideNfcAfterTheQuotesSoWhatIsQuotedIsAJsonString() {
            ResourceClaim decomposed = new ResourceClaim("desk:Ange\u0301lique/" + "9".repeat(100), 1L, null, null);

            String message = check.check(input(intent().setClaims(List.of(decomposed)).build())).orElseThrow().message();

            assertThat(message).contains("send \"desk:Ang\\u00E9lique/" + "9".repeat(33) + "\"...[115 chars], not \"desk:Ange\\u0301lique/"
                    + "9".repeat(32) + "\"...[116 chars]");
        }

        @Test
        void shouldRejectNotANumberAsConfidence() {
            assertThat(check.check(input(intent().setConfidence(Double.NaN).build()))).isPresent();
        }

        @Test
        void shouldRejectABlankDependency() {
            assertThat(check.check(input(intent().setDependsOn(List.of("t-1", " ")).build())).orElseThrow().message())
                    .contains("dependsOn[1] is blank");
        }
    }

    @Nested
    class KeyAndTime {

        @Test
        void shouldRejectARecordWithoutAKey() {
            GateInput noKey = new GateInput(null, intent().build(), new byte[0], new RecordHeaders(), T0, POLICY, null);

            assertThat(new KeyMatchCheck().check(noKey).orElseThrow().message()).contains("no key");
        }

        @Test
        void shouldTreatAnIntentExpiringAtItsArrivalAsExpired() {
            ExpiryCheck check = new ExpiryCheck();

            assertThat(check.check(input(intent().setExpiresAt(T0).build()))).isPresent();
            assertThat(check.check(input(intent().setExpiresAt(T0.plusMillis(1)).build()))).isEmpty();
        }

        @Test
        void shouldTreatAClaimWhoseWindowEndsAtTheDecisionAsExpiredAndNameIt() {
            ExpiryCheck check = new ExpiryCheck();
            ResourceClaim ended = new ResourceClaim("room:1", 1L, T0.minusSeconds(60), T0);
            ResourceClaim open = new ResourceClaim("room:2", 1L, T0.minusSeconds(60), T0.plusMillis(1));
            ResourceClaim unbounded = new ResourceClaim("room:3", 1L, null, null);

            assertThat(check.check(input(intent().setClaims(List.of(open, unbounded, ended)).build())).orElseThrow().message())
                    .contains("claims[2] on room:1", "[" + T0.minusSeconds(60) + ", " + T0 + ")");
            assertThat(check.check(input(intent().setClaims(List.of(open, unbounded)).build()))).isEmpty();
        }
    }

    @Nested
    class Capabilities {

        private final CapabilitiesCheck check = new CapabilitiesCheck();

        @Test
        void shouldMatchActionAndTargetGlobs() {
            assertThat(check.check(known(intent().setAction("invoice.approve").setTarget("llm:large").build()))).isEmpty();
            assertThat(check.check(known(intent().setAction("report.generate").build()))).isEmpty();
            assertThat(check.check(known(intent().setAction("report.generated").build())).orElseThrow().code())
                    .isEqualTo(ReasonCode.ACTION_NOT_ALLOWED);
            assertThat(check.check(known(intent().setAction("invoices.create").build())).orElseThrow().code())
                    .isEqualTo(ReasonCode.ACTION_NOT_ALLOWED);
        }

        @Test
        void shouldLetRestrictedDataGoOnlyWhereTheFlowsAllowAndOtherDataAnywhereAllowed() {
            assertThat(check.check(known(intent().setTarget("erp").setDataClasses(List.of("CONFIDENTIAL")).build()))).isEmpty();
            assertThat(check.check(known(intent().setTarget("llm:small").setDataClasses(List.of("INTERNAL")).build()))).isEmpty();
            assertThat(check.check(known(intent().setTarget("llm:small").setDataClasses(List.of("INTERNAL", "CONFIDENTIAL")).build()))
                    .orElseThrow().code()).isEqualTo(ReasonCode.DATA_FLOW_NOT_ALLOWED);
        }

        @Test
        void shouldCheckTheAgentsDataClassesBeforeTheFlows() {
            assertThat(check.check(known(intent().setDataClasses(List.of("PII")).build())).orElseThrow().code())
                    .isEqualTo(ReasonCode.DATA_CLASS_NOT_ALLOWED);
        }
    }

    @Nested
    class Escalations {

        @Test
        void shouldLetAnAgentCommitExactlyItsAuthority() {
            AuthorityCheck check = new AuthorityCheck();

            assertThat(check.check(known(intent().setCommitmentMicros(5000).build()))).isEmpty();
            Escalation over = check.check(known(intent().setCommitmentMicros(5001).build())).orElseThrow();
            assertThat(over.code()).isEqualTo(ReasonCode.OVER_AUTHORITY);
            assertThat(over.tier()).isEqualTo("MANAGER");
        }

        @Test
        void shouldNotLimitAnAgentWithoutAuthorityConfigured() {
            assertThat(new AuthorityCheck().check(known("drifter", intent().setCommitmentMicros(Long.MAX_VALUE / 2).build()))).isEmpty();
        }

        @Test
        void shouldAcceptConfidenceExactlyAtTheMinimum() {
            ConfidenceCheck check = new ConfidenceCheck();

            assertThat(check.check(known(intent().setConfidence(0.6).build()))).isEmpty();
            assertThat(check.check(known(intent().setConfidence(0.59).build())).orElseThrow().tier()).isEqualTo("MANAGER");
        }

        @Test
        void shouldTreatTheAgentsOwnDepartmentAsHomeAndAnyOtherAsCrossing() {
            CrossDepartmentCheck check = new CrossDepartmentCheck();

            assertThat(check.check(known(intent().setDepartments(List.of("finance", "finance")).build()))).isEmpty();
            Escalation crossing = check.check(known(intent().setDepartments(List.of("finance", "legal", "legal")).build())).orElseThrow();
            assertThat(crossing.tier()).isEqualTo("BOARD");
            assertThat(crossing.message()).contains("[legal]");
        }

        @Test
        void shouldTreatEveryDepartmentAsAnotherForAnAgentWithoutOne() {
            assertThat(new CrossDepartmentCheck().check(known("drifter", intent().setDepartments(List.of("finance")).build()))).isPresent();
        }
    }

    private static AgentIntent.Builder intent() {
        return AgentIntent.newBuilder().setIntentId("i-1").setAgentId("analyst").setAction("invoice.create").setTarget("erp")
                .setCostMicros(1).setCommitmentMicros(0).setConfidence(0.9);
    }

    private static GateInput input(AgentIntent intent) {
        return new GateInput(intent.getAgentId(), intent, new byte[0], new RecordHeaders(), T0, POLICY, null);
    }

    private static GateInput known(AgentIntent intent) {
        return known("analyst", intent);
    }

    private static GateInput known(String agentId, AgentIntent intent) {
        return input(intent).withAgent(POLICY.agent(agentId).orElseThrow());
    }
}
