package io.agentmediator.http;

import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/** Which callers an endpoint answers: anyone (health probes), or callers holding one of some roles. */
public record Access(Set<Role> roles, boolean anyone) {

    public static Access open() {
        return new Access(Set.of(), true);
    }

    public static Access anyOf(Role first, Role... more) {
        return new Access(Set.copyOf(EnumSet.of(first, more)), false);
    }

    public boolean allows(Caller caller) {
        return anyone || roles.stream().anyMatch(caller::has);
    }

    /** For a 403's message: {@code approver or operator}. */
    String describe() {
        return roles.stream().sorted().map(Role::label).collect(Collectors.joining(" or "));
    }
}
