package io.agentmediator.query;

import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.policy.CurrentPolicy;
import io.agentmediator.http.HttpEndpoints;
import java.time.Clock;

/**
 * Mounts the interactive queries on the HTTP port: {@code /agents/{id}/budgets},
 * {@code /escalations}, {@code /cases/{intentId}} and {@code /owners/{intentId}}. Any instance
 * answers any of them, asking the others as needed.
 */
public final class QueryEndpoints {

    private QueryEndpoints() {}

    public static void mount(HttpEndpoints http, Peers peers, LocalStores stores, CurrentPolicy policy, Clock clock) {
        KeyRouter router = new KeyRouter(peers);
        OwnersQuery owners = new OwnersQuery(router, stores);
        http.mount(BudgetsQuery.PREFIX, new QueryHandler(new BudgetsQuery(router, stores, policy, clock)));
        http.mount(EscalationsQuery.PATH, new QueryHandler(new EscalationsQuery(peers, stores, new PendingEscalations(clock))));
        http.mount(CaseQuery.PREFIX, new QueryHandler(new CaseQuery(router, stores, owners)));
        http.mount(OwnersQuery.PREFIX, new QueryHandler(owners));
    }
}
