package io.agentmediator.gate.check;

import io.agentmediator.gate.GateInput;
import io.agentmediator.policy.Capabilities;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ReasonCode;
import java.util.List;
import java.util.Optional;

/**
 * What the agent may do at all, checked before anything is spent: the action and the target
 * against the agent's globs (ACTION_NOT_ALLOWED, TARGET_NOT_ALLOWED), every data class against
 * the agent's classes (DATA_CLASS_NOT_ALLOWED), and every data class the policy restricts
 * against the targets such data may go to (DATA_FLOW_NOT_ALLOWED).
 */
public final class CapabilitiesCheck implements RejectCheck {

    public static final String NAME = "capabilities";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<Rejection> check(GateInput input) {
        AgentIntent intent = input.intent();
        Capabilities allowed = input.agent().capabilities();
        String agent = "agent \"" + input.agent().id() + "\"";
        if (!Globs.matchesAny(allowed.actions(), intent.getAction())) {
            return Optional.of(new Rejection(ReasonCode.ACTION_NOT_ALLOWED,
                    agent + " may not " + intent.getAction() + " (allowed: " + allowed.actions() + ")"));
        }
        if (!Globs.matchesAny(allowed.targets(), intent.getTarget())) {
            return Optional.of(new Rejection(ReasonCode.TARGET_NOT_ALLOWED,
                    agent + " may not act on " + intent.getTarget() + " (allowed: " + allowed.targets() + ")"));
        }
        for (String dataClass : intent.getDataClasses()) {
            if (!allowed.dataClasses().contains(dataClass)) {
                return Optional.of(new Rejection(ReasonCode.DATA_CLASS_NOT_ALLOWED,
                        agent + " may not touch " + dataClass + " data (allowed: " + allowed.dataClasses() + ")"));
            }
        }
        for (String dataClass : intent.getDataClasses()) {
            List<String> destinations = input.policy().dataFlows().get(dataClass);
            if (destinations != null && !Globs.matchesAny(destinations, intent.getTarget())) {
                return Optional.of(new Rejection(ReasonCode.DATA_FLOW_NOT_ALLOWED,
                        dataClass + " data may only go to " + destinations + ", not to " + intent.getTarget()));
            }
        }
        return Optional.empty();
    }
}
