package io.agentmediator.subjects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.config.MediatorConfig;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.registry.InMemorySchemaRegistry;
import io.agentmediator.registry.SchemaRegistryClient;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.internal.WaitingIntent;
import io.agentmediator.topics.Topics;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The subjects a mediator writes under, registered or required at its start. */
class SubjectCheckTest {

    private static final String APP = "mediator-under-test";

    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry("subject-check-test");
    private final Map<String, Schema> written = WrittenSubjects.of(MediatorConfig.defaults(),
            PolicySource.load("classpath:policies/example.yaml").policy(), new Topics("agent.", registry), APP);

    @Test
    void theTopologyNamesItsTopicsAndItsStoresChangelogsUnderTheApplicationId() {
        assertThat(written).containsEntry("agent.decisions.execute-value", Decision.getClassSchema())
                .containsEntry("agent.audit-value", AuditRecord.getClassSchema())
                .containsEntry(APP + "-waiting-intents-changelog-value", WaitingIntent.getClassSchema())
                .doesNotContainKeys("agent.intents-value", "agent.approvals-value");
        assertThat(registry.subjects()).as("building the topology registers nothing").isEmpty();
    }

    @Test
    void aReadOnlyStartIsRefusedNamingEverySubjectMissingAndLetThroughOnceAllAreThere() {
        String missingOne = APP + "-waiting-intents-changelog-value";
        written.forEach((subject, schema) -> {
            if (!subject.equals(missingOne)) {
                registry.register(subject, schema);
            }
        });

        assertThatThrownBy(() -> SubjectCheck.atStart(registry, written, false, "https://mediator:s3cret@registry.example.com"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageNotContaining("s3cret")
                .hasMessageContaining("lacks 1 of the " + written.size() + " subjects")
                .hasMessageContaining(missingOne)
                .hasMessageContaining("schemas register");

        registry.register(missingOne, written.get(missingOne));
        SubjectCheck.atStart(registry, written, false, "mock://subject-check-test");
    }

    @Test
    void aSubjectHoldingOnlyAnotherVersionsSchemaIsMissing() {
        written.forEach(registry::register);
        String subject = "agent.decisions.execute-value";
        InMemorySchemaRegistry older = new InMemorySchemaRegistry("subject-check-older");
        written.forEach((name, schema) -> older.register(name, name.equals(subject) ? WaitingIntent.getClassSchema() : schema));

        assertThat(SubjectCheck.missing(registry, written)).isEmpty();
        assertThat(SubjectCheck.missing(older, written)).containsExactly(subject);
    }

    @Test
    void aStartThatMayRegisterRegistersEverySubject() {
        SubjectCheck.atStart(registry, written, true, "mock://subject-check-test");

        assertThat(registry.subjects()).containsExactlyInAnyOrderElementsOf(written.keySet());
    }

    @Test
    void anUnreachableRegistryDoesNotRefuseTheStart() {
        SchemaRegistryClient down = new SchemaRegistryClient() {
            @Override
            public int register(String subject, Schema schema) {
                throw new SchemaRegistryUnavailableException("connection refused");
            }

            @Override
            public int idOf(String subject, Schema schema) {
                throw new SchemaRegistryUnavailableException("connection refused");
            }

            @Override
            public Schema schemaById(int id) {
                throw new SchemaRegistryUnavailableException("connection refused");
            }
        };

        SubjectCheck.atStart(down, written, false, "http://registry.invalid");
        SubjectCheck.atStart(down, written, true, "http://registry.invalid");
    }
}
