package io.agentmediator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * An install decides on its operator's policy and signs with its operator's key, or says it is a trial: the image's
 * example policy lets anyone sign as its approvers and operators, and a key per pod cannot be trusted across restarts.
 */
class OwnPolicyAndKeyTemplateTest {

    @Test
    void shouldRefuseAnInstallOnTheExamplePolicyAndEphemeralKeys() {
        // Given the chart's defaults, not a trial
        Values values = Values.with("demo", false);

        // When the chart is rendered, then it is refused, naming what to set
        assertThatThrownBy(() -> Chart.render(values))
                .hasMessageContaining("policy.document or policy.existingConfigMap")
                .hasMessageContaining("signing.existingSecret")
                .hasMessageContaining("demo=true");
    }

    @Test
    void shouldRefuseAPolicyWithoutASigningKey() {
        // Given the operator's policy but no signing key
        Values values = Values.with("demo", false).and("policy.document", "id: default\nagents: []\n");

        // When the chart is rendered, then it is refused for the key alone
        assertThatThrownBy(() -> Chart.render(values))
                .hasMessageContaining("signing.existingSecret")
                .hasMessageNotContaining("policy.existingConfigMap");
    }

    @Test
    void shouldInstallWithTheOperatorsPolicyAndSigningKey() {
        // Given the operator's policy ConfigMap and signing key
        Values values = Values.with("demo", false)
                .and("policy.existingConfigMap", "finance-policy")
                .and("signing.existingSecret", "decision-signing");

        // When the chart is rendered
        Properties properties = MediatorProperties.of(Chart.render(values));

        // Then the mediator reads both
        assertThat(properties.getProperty("policy.file")).isEqualTo("/etc/agent-mediator/policy/policy.yaml");
        assertThat(properties.getProperty("signing.key.file")).isEqualTo("/etc/agent-mediator/secrets/signing/signing-key.pem");
    }

    @Test
    void shouldInstallATrialOnTheExamplePolicyWhenAskedTo() {
        // Given a trial, with neither a policy nor a signing key
        Values values = Values.with("demo", true);

        // When the chart is rendered
        Properties properties = MediatorProperties.of(Chart.render(values));

        // Then the mediator falls back to the image's example policy and an ephemeral key
        assertThat(properties.stringPropertyNames()).doesNotContain("policy.file", "signing.key.file");
    }
}
