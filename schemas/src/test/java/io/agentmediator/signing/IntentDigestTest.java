package io.agentmediator.signing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IntentDigestTest {

    @Test
    void shouldDigestTheValueBytesAsSha256sumPrintsThem() {
        // Given the agents' test vector bytes (docs/SIGNING.md)
        byte[] value = GoldenVector.INTENT_VALUE;

        // When / Then: printf '\x00\x00\x00\x00\x01\x02\x03' | sha256sum
        assertThat(IntentDigest.of(value)).isEqualTo("feb5a3a4ac29c4f4ed0aa5dc6cb753d76bcf2daf9867fcf103963cf434a829fa");
    }

    @Test
    void shouldMatchOnlyTheBytesItWasTakenFrom() {
        // Given
        String digest = IntentDigest.of(GoldenVector.INTENT_VALUE);

        // When / Then
        assertThat(IntentDigest.matches(digest, GoldenVector.INTENT_VALUE)).isTrue();
        assertThat(IntentDigest.matches(digest, new byte[] {0, 0, 0, 0, 1, 2, 4})).isFalse();
        assertThat(IntentDigest.matches(null, GoldenVector.INTENT_VALUE)).isFalse();
        assertThat(IntentDigest.matches(digest.toUpperCase(java.util.Locale.ROOT), GoldenVector.INTENT_VALUE)).isFalse();
    }
}
