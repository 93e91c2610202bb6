package io.agentmediator.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AuditRecord;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.HostInfo;

/**
 * {@code GET /escalations[?tier=T][&agent=A]}: every open escalation, oldest first, gathered from the
 * {@link GateStores#OPEN_ESCALATIONS} partitions of every instance. The instance asked reads its own and
 * asks each other one for theirs (a relayed request answers from local stores only); an instance that
 * does not answer is named under {@code unreachable} rather than silently missing.
 */
final class EscalationsQuery implements Query {

    static final String PATH = "/escalations";

    private final Peers peers;
    private final LocalStores stores;
    private final PendingEscalations pending;

    EscalationsQuery(Peers peers, LocalStores stores, PendingEscalations pending) {
        this.peers = peers;
        this.stores = stores;
        this.pending = pending;
    }

    @Override
    public Answer answer(Request request) {
        List<JsonNode> escalations = new ArrayList<>(local(request));
        List<String> unreachable = new ArrayList<>();
        if (!request.forwarded()) {
            for (HostInfo peer : peers.others()) {
                gather(peer, request, escalations, unreachable);
            }
        }
        escalations.sort(Comparator.comparing((JsonNode node) -> Instant.parse(node.get("escalatedAt").asText()))
                .thenComparing(node -> node.get("intentId").asText()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("escalations", escalations);
        body.put("unreachable", unreachable);
        return Answer.ok(body);
    }

    private List<JsonNode> local(Request request) {
        List<AuditRecord> open = new ArrayList<>();
        try (KeyValueIterator<String, AuditRecord> all = stores.<AuditRecord>all(GateStores.OPEN_ESCALATIONS).all()) {
            all.forEachRemaining(entry -> open.add(entry.value));
        }
        return pending.from(open, request.parameters().get("tier"), request.parameters().get("agent")).stream()
                .map(escalation -> (JsonNode) QueryJson.mapper().valueToTree(escalation))
                .toList();
    }

    private void gather(HostInfo peer, Request request, List<JsonNode> escalations, List<String> unreachable) {
        String name = peer.host() + ":" + peer.port();
        try {
            HttpResponse<String> answer = peers.get(peer, PATH, request.decodedQuery());
            if (answer.statusCode() != 200) {
                unreachable.add(name + ": HTTP " + answer.statusCode() + " " + answer.body());
                return;
            }
            QueryJson.read(answer.body()).get("escalations").forEach(escalations::add);
        } catch (IOException e) {
            unreachable.add(name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            unreachable.add(name + ": interrupted");
        }
    }
}
