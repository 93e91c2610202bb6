package io.agentmediator.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.audit.AuditKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeysOfIntentTest {

    @Test
    void shouldAcceptTheIntentsOwnKeyAndItsUnmatchedAnswersOnly() {
        // Given the keys about an intent whose id is not plain ASCII
        KeysOfIntent keys = new KeysOfIntent("facture-é1");

        // When keys are judged on their bytes
        // Then its case file and the answers filed under it pass
        assertThat(keys.test(bytes("facture-é1"))).isTrue();
        assertThat(keys.test(bytes(AuditKeys.unmatchedAnswer("facture-é1", "approval", "agent.approvals-1@9")))).isTrue();
        assertThat(keys.test(bytes(AuditKeys.unmatchedAnswer("facture-é1", "outcome", "agent.outcomes-0@3")))).isTrue();
        // And keys that only begin or end like it do not
        assertThat(keys.test(bytes("facture-é10"))).isFalse();
        assertThat(keys.test(bytes("facture-é"))).isFalse();
        assertThat(keys.test(bytes("xfacture-é1"))).isFalse();
        assertThat(keys.test(bytes(AuditKeys.unmatchedAnswer("facture-é10", "approval", "agent.approvals-1@9")))).isFalse();
        assertThat(keys.test(bytes(AuditKeys.untrusted("agent.intents-0@1", "facture-é1")))).isFalse();
        assertThat(keys.test(bytes(""))).isFalse();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
