package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.schema.Decision;
import io.agentmediator.schema.DecisionOutcome;
import io.agentmediator.schema.Reason;
import io.agentmediator.schema.ReasonCode;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class DecisionSignatureTest {

    /** Published in docs/SIGNING.md: the golden key's signature over the golden canonical text, version 1. */
    private static final String GOLDEN_SIGNATURE_HEX = "5ada0743504e937b3583a0f189fa063b49bed588b38f7d3196cf843c44fd3399"
            + "2d399589ded769f05c13e2983c26a04d08dca348bb33c1358f8e97488ae0f200";
    /** Published in docs/SIGNING.md: the golden key's signature over the golden canonical text, version 2 (Python's). */
    private static final String GOLDEN_SIGNATURE_V2_HEX = "458b3c8131595848818b4b567182703e610b4ac39f46c448d46ff5bd0a2a21ad"
            + "558675237ded16e996885613b90b2daf068ecc5e3ee35e1d66577e44e190cb00";

    private final KeyPair mediator = Ed25519Keys.generate();
    private final DecisionSigner signer = new DecisionSigner(mediator.getPrivate(), "mediator-test");
    private final DecisionVerifier verifier = new DecisionVerifier();

    @Test
    void shouldVerifyADecisionItSigned() {
        // Given
        Decision signed = signer.sign(GoldenVector.decision());

        // When / Then
        assertThat(verifier.verify(signed, mediator.getPublic())).isTrue();
        assertThat(verifier.verify(signed, signer.publicKey())).isTrue();
    }

    @Test
    void shouldMatchTheGoldenVectorOfVersion2() {
        // Given the golden key and decision
        DecisionSigner golden = new DecisionSigner(GoldenVector.privateKey(), GoldenVector.FINGERPRINT);

        // When
        Decision signed = golden.sign(GoldenVector.decisionV2());

        // Then
        assertThat(HexFormat.of().formatHex(bytes(signed.getSignature()))).isEqualTo(GOLDEN_SIGNATURE_V2_HEX);
        assertThat(verifier.verify(signed, Ed25519Keys.publicKeyFromBase64(GoldenVector.PUBLIC_KEY_X509))).isTrue();
    }

    @Test
    void shouldStillVerifyTheGoldenVectorOfVersion1() {
        // Given a decision as the mediator signed it before version 2
        Decision signedV1 = GoldenVector.decision();
        signedV1.setSignature(ByteBuffer.wrap(HexFormat.of().parseHex(GOLDEN_SIGNATURE_HEX)));

        // When / Then
        assertThat(verifier.verify(signedV1, Ed25519Keys.publicKeyFromBase64(GoldenVector.PUBLIC_KEY_X509))).isTrue();
        assertThat(Ed25519Signatures.sign(DecisionCanonicalForm.bytesV1(GoldenVector.decision()), GoldenVector.privateKey()))
                .isEqualTo(HexFormat.of().parseHex(GOLDEN_SIGNATURE_HEX));
    }

    @Test
    void shouldNotLetAVersion1SignatureVouchForAnIntentItNeverNamed() {
        // Given a v1-signed decision, to which someone adds what version 2 binds
        Decision signedV1 = GoldenVector.decision();
        signedV1.setSignature(ByteBuffer.wrap(HexFormat.of().parseHex(GOLDEN_SIGNATURE_HEX)));
        signedV1.setCostMicros(1L);

        // When / Then
        assertThat(verifier.verify(signedV1, Ed25519Keys.publicKeyFromBase64(GoldenVector.PUBLIC_KEY_X509))).isFalse();
    }

    @Test
    void shouldNotVerifyASignatureOverAnotherIntent() {
        // Given the signed execute for a cheap intent, passed off as one for an expensive intent with the same id
        Decision signed = signer.sign(GoldenVector.decisionV2());

        // When
        signed.setIntentSha256("0".repeat(64));

        // Then
        assertThat(verifier.verify(signed, mediator.getPublic())).isFalse();
    }

    @Test
    void shouldNotVerifyOnceAnyFieldIsChanged() {
        for (Map.Entry<String, Consumer<Decision>> tampering : tamperings().entrySet()) {
            // Given a signed decision
            Decision signed = signer.sign(GoldenVector.decisionV2());

            // When one field is changed after signing
            tampering.getValue().accept(signed);

            // Then
            assertThat(verifier.verify(signed, mediator.getPublic())).as(tampering.getKey()).isFalse();
        }
    }

    @Test
    void shouldTamperWithEveryFieldButTheSignature() {
        // Given the decision's fields
        List<String> fields = Decision.getClassSchema().getFields().stream().map(Schema.Field::name).toList();

        // When / Then a field added to Decision is not covered by canonical form v2: this fails so
        // that whoever adds it decides on a v3 (see DecisionCanonicalForm)
        assertThat(tamperings().keySet().stream().map(name -> name.split("[^A-Za-z0-9]")[0]).distinct())
                .containsExactlyInAnyOrderElementsOf(fields.stream().filter(name -> !name.equals("signature")).toList());
    }

    @Test
    void shouldNotVerifyWithAnotherKey() {
        // Given
        Decision signed = signer.sign(GoldenVector.decision());

        // When / Then
        assertThat(verifier.verify(signed, Ed25519Keys.generate().getPublic())).isFalse();
    }

    @Test
    void shouldNotVerifyADecisionWithoutOrWithAMalformedSignature() {
        // Given
        Decision unsigned = GoldenVector.decision();
        Decision truncated = signer.sign(GoldenVector.decision());
        truncated.setSignature(ByteBuffer.wrap(new byte[63]));
        Decision garbage = signer.sign(GoldenVector.decision());
        garbage.setSignature(ByteBuffer.wrap(new byte[64]));

        // When / Then
        assertThat(verifier.verify(unsigned, mediator.getPublic())).isFalse();
        assertThat(verifier.verify(truncated, mediator.getPublic())).isFalse();
        assertThat(verifier.verify(garbage, mediator.getPublic())).isFalse();
    }

    @Test
    void shouldLeaveTheOriginalAndTheSignatureBufferAsTheyWere() {
        // Given
        Decision original = GoldenVector.decision();

        // When
        Decision signed = signer.sign(original);
        verifier.verify(signed, mediator.getPublic());

        // Then
        assertThat(original.getSignature()).isNull();
        assertThat(signed.getSignature().remaining()).isEqualTo(64);
        assertThat(DecisionCanonicalForm.text(signed)).isEqualTo(DecisionCanonicalForm.text(original));
    }

    @Test
    void shouldReplaceASignatureTheDecisionAlreadyHad() {
        // Given a decision signed by another key
        Decision signedElsewhere = new DecisionSigner(Ed25519Keys.generate().getPrivate(), "old").sign(GoldenVector.decision());

        // When
        Decision resigned = signer.sign(signedElsewhere);

        // Then
        assertThat(verifier.verify(resigned, mediator.getPublic())).isTrue();
    }

    @Test
    void shouldRefuseAKeyThatIsNotEd25519() throws Exception {
        // Given
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        KeyPair rsa = generator.generateKeyPair();

        // When / Then
        assertThatThrownBy(() -> new DecisionSigner(rsa.getPrivate(), "k"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected an Ed25519 key, got RSA");
        assertThatThrownBy(() -> verifier.verify(GoldenVector.decision(), rsa.getPublic()))
                .hasMessage("expected an Ed25519 key, got RSA");
    }

    @Test
    void shouldRefuseABlankKeyId() {
        assertThatThrownBy(() -> new DecisionSigner(mediator.getPrivate(), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the key id must not be blank");
    }

    /** Changes to the fields the signature covers, named by the field they change. */
    private static Map<String, Consumer<Decision>> tamperings() {
        Map<String, Consumer<Decision>> changes = new LinkedHashMap<>();
        changes.put("intentId", decision -> decision.setIntentId("intent-0002"));
        changes.put("agentId", decision -> decision.setAgentId("finance-analyst2"));
        changes.put("correlationId", decision -> decision.setCorrelationId(null));
        changes.put("outcome", decision -> decision.setOutcome(DecisionOutcome.EXECUTE));
        changes.put("tier", decision -> decision.setTier("BOARD"));
        changes.put("reasons", decision -> decision.setReasons(new ArrayList<>()));
        changes.put("reasons: reordered", decision -> decision.setReasons(reversed(decision.getReasons())));
        changes.put("reasons[0].code", decision -> decision.getReasons().get(0).setCode(ReasonCode.LOW_CONFIDENCE));
        changes.put("reasons[0].ruleId", decision -> decision.getReasons().get(0).setRuleId(""));
        changes.put("reasons[1].message", decision -> decision.getReasons().get(1).setMessage("schedule variance above 16%"));
        changes.put("policyVersion", decision -> decision.setPolicyVersion("2026-11-21.2"));
        changes.put("decidedAt", decision -> decision.setDecidedAt(decision.getDecidedAt().plusMillis(1)));
        changes.put("decidedBy", decision -> decision.setDecidedBy("maria@example.com"));
        changes.put("deadline", decision -> decision.setDeadline(Instant.parse("2026-11-22T13:30:00Z")));
        changes.put("intentSha256", decision -> decision.setIntentSha256(null));
        changes.put("action", decision -> decision.setAction("invoice.pay"));
        changes.put("target", decision -> decision.setTarget("bank"));
        changes.put("costMicros", decision -> decision.setCostMicros(250_001L));
        changes.put("commitmentMicros", decision -> decision.setCommitmentMicros(null));
        return changes;
    }

    private static List<Reason> reversed(List<Reason> reasons) {
        List<Reason> copy = new ArrayList<>(reasons);
        Collections.reverse(copy);
        return copy;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
