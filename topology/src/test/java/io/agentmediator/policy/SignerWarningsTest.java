package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.testing.TestKeys;
import org.junit.jupiter.api.Test;

class SignerWarningsTest {

    private static final String CONTROLS_UNSIGNED = "CONTROLS_UNSIGNED: no operators are listed, so an unsigned control (suspend,"
            + " resume) counts as from whoever it names; list operators with their publicKey to require signed controls";

    @Test
    void shouldWarnAboutAnAgentListedAsItsOwnBoardApproverAndRelaxedSignatures() {
        // Given issue #14's policy: an agent listed as a BOARD approver, and signatures relaxed
        Policy policy = PolicyParser.parse("p.yaml", """
                version: "w-1"
                tiers: [MANAGER, BOARD]
                agents:
                  - { id: treasurer, capabilities: { actions: ["*"], targets: ["*"] } }
                approvers:
                  - { id: treasurer, tier: BOARD }
                  - { id: board@example.com, tier: BOARD }
                signatures: { approvals: OPTIONAL }
                """).policy();

        // When
        var warnings = SignerWarnings.of(policy);

        // Then
        assertThat(warnings).containsExactly(
                "SIGNATURES_OPTIONAL: signatures.approvals is OPTIONAL: an unsigned approval counts as from whoever it names;"
                        + " for development only",
                "AGENT_APPROVER: approver treasurer is also an agent: it never answers its own intents, and answers no other agent"
                        + " (it lists no workers)",
                "NO_EXECUTORS: no executors are listed, so every outcome is refused and reservations are settled only when executed"
                        + " cases are forgotten",
                SignerWarnings.UNBOUND_ANSWERS,
                CONTROLS_UNSIGNED);
    }

    @Test
    void shouldWarnAboutSignersWithoutKeysWhenSignaturesAreRequired() {
        // Given
        Policy policy = PolicyParser.parse("p.yaml", """
                version: "w-2"
                tiers: [MANAGER]
                approvers:
                  - { id: maria, tier: MANAGER }
                executors:
                  - { id: erp, agents: ["*"] }
                """).policy();

        // When / Then
        assertThat(SignerWarnings.of(policy)).containsExactly(
                "NO_KEY: approver maria has no publicKey, so every approval it sends is refused",
                "NO_KEY: executor erp has no publicKey, so every outcome it reports is refused",
                SignerWarnings.UNBOUND_ANSWERS,
                CONTROLS_UNSIGNED);
    }

    @Test
    void shouldWarnOnlyWhenControlsCountUnsignedOrNotAtAll() {
        // Given operators: controls REQUIRED by default, so nothing to warn about them
        String operators = """
                version: "w-3"
                tiers: [MANAGER]
                executors:
                  - { id: erp, agents: ["*"], publicKey: "%s" }
                operators:
                  - { id: alice, publicKey: "%s" }
                signatures: { intentSha256: REQUIRED }
                """.formatted(TestKeys.publicKey("erp"), TestKeys.publicKey("alice"));

        // When / Then
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", operators).policy())).isEmpty();
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", operators.replace("{ intentSha256: REQUIRED }",
                "{ intentSha256: REQUIRED, controls: OPTIONAL }")).policy()))
                .containsExactly("SIGNATURES_OPTIONAL: signatures.controls is OPTIONAL: an unsigned control (suspend, resume) counts"
                        + " as from whoever it names; for development only");
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", """
                version: "w-4"
                tiers: [MANAGER]
                executors:
                  - { id: erp, agents: ["*"], publicKey: "%s" }
                signatures: { controls: REQUIRED, intentSha256: REQUIRED }
                """.formatted(TestKeys.publicKey("erp"))).policy()))
                .containsExactly("NO_OPERATORS: signatures.controls is REQUIRED but no operators are listed, so every control"
                        + " (suspend, resume) is refused");
    }

    @Test
    void shouldWarnAboutAnswersNotBoundToTheirIntentOnlyWhereSomebodyAnswers() {
        // Given an executor, and the default for intentSha256 (OPTIONAL)
        String executor = """
                version: "w-5"
                executors:
                  - { id: erp, agents: ["*"], publicKey: "%s" }
                operators:
                  - { id: alice, publicKey: "%s" }
                """.formatted(TestKeys.publicKey("erp"), TestKeys.publicKey("alice"));

        // When / Then: a warning while unbound answers count, none once they are refused, none with nobody to answer
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", executor).policy())).containsExactly(SignerWarnings.UNBOUND_ANSWERS);
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", executor + "signatures: { intentSha256: REQUIRED }\n").policy()))
                .isEmpty();
        assertThat(SignerWarnings.of(PolicyParser.parse("p.yaml", """
                version: "w-6"
                signatures: { outcomes: OPTIONAL }
                operators:
                  - { id: alice, publicKey: "%s" }
                """.formatted(TestKeys.publicKey("alice"))).policy()))
                .containsExactly("SIGNATURES_OPTIONAL: signatures.outcomes is OPTIONAL: an unsigned outcome counts as from whoever it"
                        + " names; for development only");
    }
}
