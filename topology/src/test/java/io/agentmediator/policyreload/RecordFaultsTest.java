package io.agentmediator.policyreload;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.registry.SchemaNotFoundException;
import io.agentmediator.registry.SchemaRegistryException;
import io.agentmediator.registry.SchemaRegistryUnavailableException;
import io.agentmediator.registry.UnusableSchemaException;
import io.agentmediator.serde.IncompatibleSchemaException;
import io.agentmediator.serde.MalformedRecordException;
import org.junit.jupiter.api.Test;

class RecordFaultsTest {

    @Test
    void shouldTellTheRecordsFaultsFromTheRegistrys() {
        assertThat(RecordFaults.isRecordsFault(new MalformedRecordException("wrong magic byte"))).isTrue();
        assertThat(RecordFaults.isRecordsFault(new SchemaNotFoundException("no schema 42"))).isTrue();
        assertThat(RecordFaults.isRecordsFault(new UnusableSchemaException("a PROTOBUF schema"))).isTrue();
        assertThat(RecordFaults.isRecordsFault(new IncompatibleSchemaException("writer schema incompatible", null))).isTrue();

        assertThat(RecordFaults.isRecordsFault(new SchemaRegistryException("HTTP 422: the registry refused what the mediator asked"))).isFalse();
        assertThat(RecordFaults.isRecordsFault(new SchemaRegistryUnavailableException("connection refused"))).isFalse();
    }
}
