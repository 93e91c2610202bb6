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
import java.util.PriorityQueue;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * {@code GET /escalations[?tier=T][&agent=A][&limit=N][&after=CURSOR]}: the open escalations, oldest
 * first, a page at a time, gathered from the {@link GateStores#OPEN_ESCALATIONS} partitions of every
 * instance. The instance asked reads its own and asks each other one for its first page from the same
 * cursor (a relayed request answers from local stores only), so no instance sends more than a page
 * whatever the backlog; an instance that does not answer is named under {@code unreachable} rather
 * than silently missing.
 */
final class EscalationsQuery implements Query {

    static final String PATH = "/escalations";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private static final Comparator<JsonNode> LISTED = Comparator.comparing(EscalationsQuery::position);

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
        int limit;
        EscalationCursor after;
        try {
            limit = limit(request.parameters().get("limit"));
            String token = request.parameters().get("after");
            after = token == null || token.isEmpty() ? null : EscalationCursor.parse(token);
        } catch (IllegalArgumentException e) {
            return Answer.error(400, e.getMessage());
        }
        Gathered gathered = local(request, limit, after);
        if (!request.forwarded()) {
            for (HostInfo peer : peers.others()) {
                gather(peer, request, after, gathered);
            }
        }
        gathered.escalations.sort(LISTED);
        List<JsonNode> page = gathered.escalations.subList(0, Math.min(limit, gathered.escalations.size()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("escalations", page);
        body.put("open", gathered.open);
        body.put("remaining", gathered.remaining);
        body.put("next", gathered.remaining > page.size() ? position(page.get(page.size() - 1)).token() : null);
        body.put("unreachable", gathered.unreachable);
        return Answer.ok(body);
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: not a number: " + text, e);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " is not between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    /** The first {@code limit} after the cursor, kept in a bounded heap: the store is read once, never copied whole. */
    private Gathered local(Request request, int limit, EscalationCursor after) {
        String tier = request.parameters().get("tier");
        String agent = request.parameters().get("agent");
        Gathered gathered = new Gathered();
        PriorityQueue<AuditRecord> firstOnes = new PriorityQueue<>(Comparator.comparing(EscalationCursor::of).reversed());
        try (KeyValueIterator<String, AuditRecord> all = stores.<AuditRecord>all(GateStores.OPEN_ESCALATIONS).all()) {
            while (all.hasNext()) {
                AuditRecord caseFile = all.next().value;
                if (!PendingEscalations.matches(caseFile, tier, agent)) {
                    continue;
                }
                gathered.open++;
                if (after != null && EscalationCursor.of(caseFile).compareTo(after) <= 0) {
                    continue;
                }
                gathered.remaining++;
                firstOnes.add(caseFile);
                if (firstOnes.size() > limit) {
                    firstOnes.poll();
                }
            }
        }
        pending.from(firstOnes, tier, agent).forEach(escalation ->
                gathered.escalations.add(QueryJson.mapper().valueToTree(escalation)));
        return gathered;
    }

    /**
     * Adds a peer's page and counts. A peer of a version without paging answers with every open
     * escalation and no counts: what lies before the cursor is dropped and the counts are taken from
     * the list, so a page read during a rolling upgrade is still right.
     */
    private void gather(HostInfo peer, Request request, EscalationCursor after, Gathered gathered) {
        String name = peer.host() + ":" + peer.port();
        try {
            HttpResponse<String> answer = peers.get(peer, PATH, request.decodedQuery());
            if (answer.statusCode() != 200) {
                gathered.unreachable.add(name + ": HTTP " + answer.statusCode() + " " + answer.body());
                return;
            }
            JsonNode body = QueryJson.read(answer.body());
            long listed = 0;
            long listedAfter = 0;
            for (JsonNode escalation : body.get("escalations")) {
                listed++;
                if (after == null || position(escalation).compareTo(after) > 0) {
                    listedAfter++;
                    gathered.escalations.add(escalation);
                }
            }
            gathered.open += body.has("open") ? body.get("open").asLong() : listed;
            gathered.remaining += body.has("remaining") ? body.get("remaining").asLong() : listedAfter;
        } catch (IOException e) {
            gathered.unreachable.add(name + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gathered.unreachable.add(name + ": interrupted");
        }
    }

    private static EscalationCursor position(JsonNode escalation) {
        return new EscalationCursor(Instant.parse(escalation.get("escalatedAt").asText()), escalation.get("intentId").asText());
    }

    /** What the instances answered so far: their pages, and how many match in all and from the cursor on. */
    private static final class Gathered {
        final List<JsonNode> escalations = new ArrayList<>();
        final List<String> unreachable = new ArrayList<>();
        long open;
        long remaining;
    }
}
