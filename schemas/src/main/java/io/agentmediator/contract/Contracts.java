package io.agentmediator.contract;

import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.Approval;
import io.agentmediator.schema.AuditRecord;
import io.agentmediator.schema.Decision;
import io.agentmediator.schema.Outcome;
import io.agentmediator.schema.PolicyDocument;
import io.agentmediator.serde.GeneratedClassTrust;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;

/**
  * The top-level records of the public contract, by record name. These are what agents,
  * executors, approvers and compliance tools read and write; every other record type is
  * nested inside one of them.
  */
public final class Contracts {

    private Contracts() {}

    /**
     * Lets Avro load every generated class of the contract. Avro 1.12.2 refuses classes it was
     * not told to trust, even when only building a record whose default holds a nested record
     * (an AgentIntent without claims); our serdes grant that trust when they are created, so
     * code that builds records before creating a serde calls this first. Idempotent.
     */
    public static void trustGeneratedClasses() {
        current().values().forEach(GeneratedClassTrust::trustClassesOf);
    }

    /** Record name to its current schema, in a stable order. */
    public static Map<String, Schema> current() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        for (Schema schema :
                new Schema[] {
                    AgentIntent.getClassSchema(),
                    Decision.getClassSchema(),
                    AuditRecord.getClassSchema(),
                    Approval.getClassSchema(),
                    Outcome.getClassSchema(),
                    PolicyDocument.getClassSchema()
                }) {
            schemas.put(schema.getName(), schema);
        }
        return schemas;
    }
}
