package io.agentmediator.security;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of docs/SECURITY.md, per role, for topics under {@code prefix} and a mediator whose
 * {@code application.id} is {@code applicationId}: what {@link KafkaAclsIT} grants and then tests.
 */
final class RoleAcls {

    /** The topics in transit between the mediator's tasks, whose records it deletes once read: as SECURITY.md names them. */
    private static final List<String> IN_TRANSIT = List.of("intents-placed", "approvals-placed", "outcomes-placed", "controls-placed",
            "case-events", "ledger-requests", "ledger-replies");

    private final String prefix;
    private final String applicationId;

    RoleAcls(String prefix, String applicationId) {
        this.prefix = prefix;
        this.applicationId = applicationId;
    }

    /**
     * Every topic under the prefix (it creates them), Delete on its topics in transit, its internal topics, group and
     * transactional ids, and the cluster's description.
     */
    List<AclBinding> mediator(String user) {
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS, AclOperation.CREATE)) {
            acls.add(allow(user, ResourceType.TOPIC, prefix, PatternType.PREFIXED, operation));
        }
        for (String inTransit : IN_TRANSIT) {
            acls.add(allow(user, ResourceType.TOPIC, prefix + inTransit, PatternType.LITERAL, AclOperation.DELETE));
        }
        acls.add(allow(user, ResourceType.TOPIC, applicationId + "-", PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.GROUP, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow(user, ResourceType.TRANSACTIONAL_ID, applicationId, PatternType.PREFIXED, AclOperation.ALL));
        for (AclOperation operation : List.of(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.IDEMPOTENT_WRITE)) {
            acls.add(allow(user, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, operation));
        }
        return acls;
    }

    /** Write intents; nothing else. */
    List<AclBinding> agent(String user) {
        return writer(user, prefix + "intents");
    }

    /** Read execute decisions, and the intents they name, in groups {@code agent-executor*}; write outcomes. */
    List<AclBinding> executor(String user) {
        return concat(concat(reader(user, prefix + "decisions.execute", "agent-executor"), reader(user, prefix + "intents", "agent-executor")),
                writer(user, prefix + "outcomes"));
    }

    /** Read escalations in groups {@code agent-approver*}; write approvals. */
    List<AclBinding> approver(String user) {
        return concat(reader(user, prefix + "decisions.escalate", "agent-approver"), writer(user, prefix + "approvals"));
    }

    /**
     * Publish policies and controls; read the audit trail ({@code pending} and {@code audit} read it by partition, in no
     * group), the accepted controls ({@code suspend} and {@code resume} wait for theirs there, in no group) and the accepted
     * policies ({@code policy publish} waits for its document there).
     */
    List<AclBinding> operator(String user) {
        return concat(concat(writer(user, prefix + "policies"), writer(user, prefix + "controls")), List.of(
                allow(user, ResourceType.TOPIC, prefix + "audit", PatternType.LITERAL, AclOperation.READ),
                allow(user, ResourceType.TOPIC, prefix + "audit", PatternType.LITERAL, AclOperation.DESCRIBE),
                allow(user, ResourceType.TOPIC, prefix + "controls.accepted", PatternType.LITERAL, AclOperation.READ),
                allow(user, ResourceType.TOPIC, prefix + "controls.accepted", PatternType.LITERAL, AclOperation.DESCRIBE),
                allow(user, ResourceType.TOPIC, prefix + "policies.accepted", PatternType.LITERAL, AclOperation.READ),
                allow(user, ResourceType.TOPIC, prefix + "policies.accepted", PatternType.LITERAL, AclOperation.DESCRIBE)));
    }

    private static List<AclBinding> writer(String user, String topic) {
        return List.of(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE),
                allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE));
    }

    private static List<AclBinding> reader(String user, String topic, String groupPrefix) {
        return List.of(allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ),
                allow(user, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE),
                allow(user, ResourceType.GROUP, groupPrefix, PatternType.PREFIXED, AclOperation.READ));
    }

    private static List<AclBinding> concat(List<AclBinding> first, List<AclBinding> second) {
        List<AclBinding> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }
}
