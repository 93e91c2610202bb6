package io.agentmediator.policy;

import java.util.List;
import java.util.Objects;

/**
 * A human who may answer escalations up to {@code tier}; when {@code departments} is not empty, only
 * for agents of those departments.
 */
public record Approver(String id, String tier, List<String> departments) {

    public Approver {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tier, "tier");
        departments = Immutables.list(departments);
    }
}
