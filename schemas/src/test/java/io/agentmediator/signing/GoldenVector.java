package io.agentmediator.signing;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;

/**
 * The published test vector (docs/SIGNING.md): the key is RFC 8032's first Ed25519 test key, so
 * implementations in other languages can check themselves against it.
 */
final class GoldenVector {

    /** PKCS#8 DER of RFC 8032 test 1's secret key 9d61b19d...1cae7f60, base64. */
    static final String PRIVATE_KEY_PKCS8 = "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g";
    /** Its public key, d75a9801...f707511a, as X.509 DER in base64. */
    static final String PUBLIC_KEY_X509 = "MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";
    static final String FINGERPRINT = "06e3fd8fda29bb60";

    private GoldenVector() {
    }

    static PrivateKey privateKey() {
        return Ed25519Keys.privateKeyFromPkcs8(PRIVATE_KEY_PKCS8);
    }

    /** An escalation with a null, a non-ASCII character and a line break among its values. */
    static Decision decision() {
        return Decision.newBuilder()
                .setIntentId("intent-0001")
                .setAgentId("finance-analyst")
                .setCorrelationId("quarter-close-7")
                .setOutcome(DecisionOutcome.ESCALATE)
                .setTier("MANAGER")
                .setReasons(List.of(
                        new Reason(ReasonCode.OVER_AUTHORITY, null, "commitment 7500.00 € is above the authority of 5000.00"),
                        new Reason(ReasonCode.RULE, "schedule-variance", "schedule variance above 15%\nsee the plan")))
                .setPolicyVersion("2026-11-21.1")
                .setDecidedAt(Instant.parse("2026-11-21T09:30:00Z"))
                .setDecidedBy("mediator")
                .setDeadline(Instant.parse("2026-11-21T13:30:00Z"))
                .build();
    }

    /** The value bytes of the agents' test vector (docs/SIGNING.md), whose SHA-256 the v2 decision carries. */
    static final byte[] INTENT_VALUE = {0, 0, 0, 0, 1, 2, 3};
    /** SHA-256 of {@link #INTENT_VALUE}, as {@code sha256sum} prints it. */
    static final String INTENT_SHA256 = "feb5a3a4ac29c4f4ed0aa5dc6cb753d76bcf2daf9867fcf103963cf434a829fa";

    /** The same escalation bound to its intent: what canonical form version 2 adds. */
    static Decision decisionV2() {
        Decision decision = decision();
        decision.setIntentSha256(INTENT_SHA256);
        decision.setAction("invoice.create");
        decision.setTarget("erp");
        decision.setCostMicros(250_000L);
        decision.setCommitmentMicros(7_500_000_000L);
        return decision;
    }
}
