package io.agentmediator.query;

import io.agentmediator.partition.CaseStores;
import java.util.Map;

/**
 * {@code GET /owners/{intentId}}: which agent an escalated or executed intent belongs to, from
 * {@link CaseStores#INTENT_OWNERS} in the intent's partition. Rejected intents have no owner entry.
 */
final class OwnersQuery implements Query {

    static final String PREFIX = "/owners/";

    private final KeyRouter router;
    private final LocalStores stores;

    OwnersQuery(KeyRouter router, LocalStores stores) {
        this.router = router;
        this.stores = stores;
    }

    @Override
    public Answer answer(Request request) {
        String intentId = request.segmentAfter(PREFIX);
        if (intentId == null) {
            return Answer.error(404, "expected " + PREFIX + "{intentId}");
        }
        return router.route(request, CaseStores.INTENT_OWNERS, intentId, PREFIX + PeerUris.segment(intentId), Map.of(), partition -> {
            String agentId = stores.<String>partition(CaseStores.INTENT_OWNERS, partition).get(intentId);
            return agentId == null
                    ? Answer.error(404, "intent \"" + intentId + "\" was not escalated or executed here (" + CaseQuery.NOT_HELD + ")")
                    : Answer.ok(Map.of("intentId", intentId, "agentId", agentId));
        });
    }
}
