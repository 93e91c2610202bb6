package io.agentmediator.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.CaseStores;
import io.agentmediator.partition.GateStores;
import io.agentmediator.json.AuditJson;
import io.agentmediator.schema.AuditRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /cases/{intentId}}: the case file of an intent the stores still hold. The intent's
 * partition of {@link CaseStores#INTENT_OWNERS} names its agent; the agent's partition holds it in
 * {@link GateStores#OPEN_ESCALATIONS} while it waits for a human, or in {@link CaseStores#EXECUTED_CASES}
 * once executed (until a FAILED or COMPENSATED outcome closes it). Both hops may be on other instances:
 * the second is relayed as {@code /cases/{intentId}?agent={agentId}}. Every other intent's story is
 * only in the audit topic, and the 404 says so.
 */
final class CaseQuery implements Query {

    static final String PREFIX = "/cases/";

    static final String NOT_HELD = "the stores hold open escalations and executed cases only; rejected, denied, expired and "
            + "duplicate intents and cases closed FAILED or COMPENSATED are in the audit topic: agent-mediator audit <intentId>";

    private final KeyRouter router;
    private final LocalStores stores;
    private final OwnersQuery owners;

    CaseQuery(KeyRouter router, LocalStores stores, OwnersQuery owners) {
        this.router = router;
        this.stores = stores;
        this.owners = owners;
    }

    @Override
    public Answer answer(Request request) {
        String intentId = request.segmentAfter(PREFIX);
        if (intentId == null) {
            return Answer.error(404, "expected " + PREFIX + "{intentId}");
        }
        String agentId = request.parameters().get("agent");
        if (agentId == null) {
            Answer owner = owners.answer(new Request(OwnersQuery.PREFIX + PeerUris.segment(intentId), Map.of(), request.forwarded()));
            if (owner.status() != 200) {
                return owner;
            }
            JsonNode ownerAgent = QueryJson.read(owner.json()).path("agentId");
            if (!ownerAgent.isTextual()) {
                return Answer.error(502, "the owner of intent \"" + intentId + "\" came back without an agent: " + QueryJson.abbreviated(owner.json()));
            }
            agentId = ownerAgent.asText();
        }
        String agent = agentId;
        return router.route(request, GateStores.OPEN_ESCALATIONS, agent, PREFIX + PeerUris.segment(intentId), Map.of("agent", agent),
                partition -> local(intentId, agent, partition));
    }

    /**
     * The case in the agent's partition, if it is the agent's: a partition holds several agents' cases, and {@code agent}
     * is the caller's word (or the owners store's), so a case of another agent under that intent id is not this one.
     */
    Answer local(String intentId, String agentId, int partition) {
        CaseFileValue open = stores.<CaseFileValue>partition(GateStores.OPEN_ESCALATIONS, partition).get(intentId);
        if (open != null && open.caseFile().getAgentId().equals(agentId)) {
            return found(GateStores.OPEN_ESCALATIONS, agentId, open.caseFile());
        }
        CaseFileValue executed = stores.<CaseFileValue>partition(CaseStores.EXECUTED_CASES, partition).get(intentId);
        if (executed != null && executed.caseFile().getAgentId().equals(agentId)) {
            return found(CaseStores.EXECUTED_CASES, agentId, executed.caseFile());
        }
        if (open != null || executed != null) {
            return Answer.error(404, "intent \"" + intentId + "\" is not agent \"" + agentId + "\"'s: its case is another agent's");
        }
        return Answer.error(404, "intent \"" + intentId + "\" of agent \"" + agentId + "\" is no longer in the stores (" + NOT_HELD + ")");
    }

    private static Answer found(String store, String agentId, AuditRecord caseFile) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("heldIn", store);
        body.put("agentId", agentId);
        body.put("caseFile", QueryJson.read(AuditJson.write(caseFile)));
        return Answer.ok(body);
    }
}
