package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorConfigsTest {

    private static final Map<String, String> VALUES = Map.of(ConnectorConfigs.REGISTRY_URL, "http://registry:8081",
            ConnectorConfigs.JDBC_URL, "jdbc:postgresql://db:5432/audit", ConnectorConfigs.USER, "auditor", ConnectorConfigs.PASSWORD, "s3cret");

    @Test
    void shouldFillThePlaceholdersOfTheAuditSink() {
        ConnectorConfigs.Connector audit = ConnectorConfigs.load(ConnectorConfigs.AUDIT, VALUES);

        assertThat(audit.name()).isEqualTo("agent-audit-sql");
        assertThat(audit.config()).containsEntry("connection.url", "jdbc:postgresql://db:5432/audit")
                .containsEntry("value.converter.schema.registry.url", "http://registry:8081")
                .containsEntry("insert.mode", "upsert").containsEntry("delete.enabled", "true").containsEntry("schema.evolution", "basic");
        assertThat(audit.config().values()).noneMatch(value -> value.contains("${"));
    }

    @Test
    void shouldKeyTheDecisionsByTheirPlaceOnTheTopicSoThatAReplayWritesNoSecondRow() {
        ConnectorConfigs.Connector decisions = ConnectorConfigs.load(ConnectorConfigs.DECISIONS, VALUES);

        assertThat(decisions.config()).containsEntry("primary.key.mode", "kafka").containsEntry("insert.mode", "upsert")
                .containsEntry("topics", "agent.decisions.execute,agent.decisions.escalate,agent.decisions.reject");
    }

    @Test
    void shouldRetryARecordWhoseSchemaCannotBeFetchedYetUntilTheRegistryAnswersInBothSinks() {
        for (String file : List.of(ConnectorConfigs.AUDIT, ConnectorConfigs.DECISIONS)) {
            assertThat(ConnectorConfigs.load(file, VALUES).config()).as(file).containsEntry("errors.retry.timeout", "-1")
                    .containsEntry("errors.retry.delay.max.ms", "10000");
        }
    }

    @Test
    void shouldDeadLetterARecordNeitherSinkCanReadOnATopicOfItsOwnWithWhereAndWhy() {
        Map<String, String> audit = ConnectorConfigs.load(ConnectorConfigs.AUDIT, VALUES).config();
        Map<String, String> decisions = ConnectorConfigs.load(ConnectorConfigs.DECISIONS, VALUES).config();

        for (Map<String, String> config : List.of(audit, decisions)) {
            assertThat(config).containsEntry("errors.tolerance", "all").containsEntry("errors.deadletterqueue.context.headers.enable", "true");
        }
        assertThat(audit).containsEntry("errors.deadletterqueue.topic.name", "agent.audit-sql.dlq");
        assertThat(decisions).containsEntry("errors.deadletterqueue.topic.name", "agent.decisions-sql.dlq");
    }

    @Test
    void shouldRefuseAPlaceholderWithoutAValue() {
        assertThatThrownBy(() -> ConnectorConfigs.load(ConnectorConfigs.AUDIT, Map.of(ConnectorConfigs.REGISTRY_URL, "mock://x")))
                .hasMessageContaining("AUDIT_SQL_JDBC_URL");
    }
}
