package io.agentmediator.policy;

import java.util.List;

/**
 * What an agent may do at all: action globs, target globs and data classes. Anything outside is
 * rejected before budgets or rules are looked at.
 */
public record Capabilities(List<String> actions, List<String> targets, List<String> dataClasses) {

    public Capabilities {
        actions = Immutables.list(actions);
        targets = Immutables.list(targets);
        dataClasses = Immutables.list(dataClasses);
    }
}
