package io.agentmediator.query;

import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.http.Access;
import io.agentmediator.http.HttpEndpoints;
import io.agentmediator.http.Role;
import java.time.Clock;

/**
 * Mounts the interactive queries on the HTTP port: {@code /agents/{id}/budgets},
 * {@code /escalations}, {@code /cases/{intentId}} and {@code /owners/{intentId}}. Any instance
 * answers any of them, asking the others as needed. Case files carry reasoning, data classes and
 * approvers' comments: with HTTP tokens configured, only approvers, operators and other instances read them.
 */
public final class QueryEndpoints {

    private QueryEndpoints() {}

    public static void mount(HttpEndpoints http, Peers peers, LocalStores stores, CurrentPolicy policy, Clock clock) {
        KeyRouter router = new KeyRouter(peers);
        OwnersQuery owners = new OwnersQuery(router, stores);
        Access readers = Access.anyOf(Role.APPROVER, Role.OPERATOR, Role.INSTANCE);
        http.mount(BudgetsQuery.PREFIX, readers, new QueryHandler(new BudgetsQuery(router, stores, policy, clock)));
        http.mount(EscalationsQuery.PATH, readers, new QueryHandler(new EscalationsQuery(peers, stores, new PendingEscalations(clock))));
        http.mount(CaseQuery.PREFIX, readers, new QueryHandler(new CaseQuery(router, stores, owners)));
        http.mount(OwnersQuery.PREFIX, readers, new QueryHandler(owners));
    }
}
