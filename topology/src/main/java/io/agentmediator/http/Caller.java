package io.agentmediator.http;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who sent a request, as far as the HTTP endpoints know: the roles its bearer token carries and a
 * name for logs (the roles and the token's fingerprint, never the token). With authentication off
 * every caller is {@link #unauthenticated()}, which may do everything, as before tokens existed.
 */
public record Caller(String name, Set<Role> roles) {

    public Caller {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** Any caller while no token file is configured. */
    public static Caller unauthenticated() {
        return new Caller("anyone (authentication off)", EnumSet.allOf(Role.class));
    }

    /** A caller that presented no token, or one no file lists. */
    public static Caller anonymous() {
        return new Caller("anonymous", Set.of());
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
