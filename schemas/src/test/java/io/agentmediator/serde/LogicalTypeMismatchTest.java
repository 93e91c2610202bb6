package io.agentmediator.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.contract.ReleasedSchemas;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.PolicyDocument;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class LogicalTypeMismatchTest {

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }

    @Test
    void shouldFindAnotherLogicalTypeInsideUnionsArraysAndNestedRecords() {
        Schema reader = parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "claims", "type": {"type": "array", "items": {"type": "record", "name": "C", "fields": [
                    {"name": "until", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]}]}}}]}""");
        Schema writer = parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "claims", "type": {"type": "array", "items": {"type": "record", "name": "C", "fields": [
                    {"name": "until", "type": ["null", {"type": "long", "logicalType": "timestamp-micros"}]}]}}}]}""");
        Schema plain = parse("""
                {"type": "record", "name": "R", "fields": [
                  {"name": "claims", "type": {"type": "array", "items": {"type": "record", "name": "C", "fields": [
                    {"name": "until", "type": ["null", "long"]}]}}}]}""");

        assertThat(LogicalTypeMismatch.of(writer, reader)).contains("R.claims[].until is timestamp-micros in the writer's schema,"
                + " timestamp-millis in ours");
        assertThat(LogicalTypeMismatch.of(plain, reader)).as("a plain long is read as ours, as Avro reads it").isEmpty();
        assertThat(LogicalTypeMismatch.of(reader, reader)).isEmpty();
    }

    @Test
    void shouldReadAStringOfAnyLogicalTypeAsOurs() {
        Schema reader = parse("""
                {"type": "record", "name": "R", "fields": [{"name": "id", "type": "string"}]}""");
        Schema uuid = parse("""
                {"type": "record", "name": "R", "fields": [{"name": "id", "type": {"type": "string", "logicalType": "uuid"}}]}""");

        assertThat(LogicalTypeMismatch.of(uuid, reader)).as("the same characters, whatever the writer calls them").isEmpty();
    }

    @Test
    void shouldFindNoneBetweenOurReleasedSchemasAndOursAndEndOnRecursiveTypes() {
        ReleasedSchemas released = new ReleasedSchemas(Path.of("released"));
        for (Schema ours : List.of(AgentIntent.getClassSchema(), Approval.getClassSchema(), Outcome.getClassSchema(),
                Decision.getClassSchema(), AuditRecord.getClassSchema(), PolicyDocument.getClassSchema())) {
            Schema first = released.latest(ours.getName()).orElseThrow().schema();
            assertThat(LogicalTypeMismatch.of(first, ours)).as(ours.getName()).isEmpty();
        }
        Schema linked = parse("""
                {"type": "record", "name": "Link", "fields": [{"name": "next", "type": ["null", "Link"]}]}""");
        assertThat(LogicalTypeMismatch.of(linked, linked)).isEmpty();
    }
}
