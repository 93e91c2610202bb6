package io.agentmediator.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.partition.CaseFileValue;
import io.agentmediator.partition.GateStores;
import io.agentmediator.schema.AuditRecord;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * {@code GET /escalations[?tier=T][&agent=A][&limit=N][&after=CURSOR]}: the open escalations, oldest
 * first, a page at a time, gathered from the {@link GateStores#OPEN_ESCALATIONS} partitions of every
 * instance. The instance asked reads its own and asks all others at once for their first page from the
 * same cursor (a relayed request answers from local stores only), so no instance sends more than a
 * page whatever the backlog; an instance that does not answer is named under {@code unreachable}
 * rather than silently missing.
 */
final class EscalationsQuery implements Query {

    static final String PATH = "/escalations";
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1_000;

    private static final Comparator<JsonNode> LISTED = Comparator.comparing(EscalationsQuery::position);

    private final OtherInstances peers;
    private final LocalStores stores;
    private final PendingEscalations pending;

    EscalationsQuery(OtherInstances peers, LocalStores stores, PendingEscalations pending) {
        this.peers = peers;
        this.stores = stores;
        this.pending = pending;
    }

    @Override
    public Answer answer(Request request) {
        int limit;
        EscalationCursor after;
        try {
            limit = limit(request);
            String token = request.parameters().get("after");
            after = token == null || token.isEmpty() ? null : EscalationCursor.parse(token);
        } catch (IllegalArgumentException e) {
            return Answer.error(400, e.getMessage());
        }
        Gathered gathered = local(request, limit, after);
        if (!request.forwarded()) {
            askPeers(request, limit, after, gathered);
        }
        List<JsonNode> page = gathered.firstOnes(limit);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("escalations", page);
        body.put("open", gathered.open);
        body.put("remaining", gathered.remaining);
        body.put("next", gathered.remaining > page.size() ? position(page.get(page.size() - 1)).token() : null);
        body.put("unreachable", gathered.unreachable);
        return Answer.ok(body);
    }

    /**
     * The page size asked for, else {@link #DEFAULT_LIMIT}. A relayed request always names one; one
     * that does not comes from an instance of a version without paging, which expects every open
     * escalation, so it gets them.
     */
    private static int limit(Request request) {
        String text = request.parameters().get("limit");
        if (text == null || text.isEmpty()) {
            return request.forwarded() ? Integer.MAX_VALUE : DEFAULT_LIMIT;
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

    /** Asks every other instance at once, so one that does not answer costs its timeout once, not once per peer before it. */
    private void askPeers(Request request, int limit, EscalationCursor after, Gathered gathered) {
        Map<String, String> relayed = new HashMap<>(request.parameters());
        relayed.put("limit", Integer.toString(limit));
        Map<HostInfo, CompletableFuture<HttpResponse<String>>> asked = new LinkedHashMap<>();
        for (HostInfo peer : peers.others()) {
            asked.put(peer, peers.ask(peer, PATH, relayed));
        }
        asked.forEach((peer, answer) -> gather(peer, answer, after, gathered));
    }

    /** The first {@code limit} after the cursor, kept in a bounded heap: the store is read once, never copied whole. */
    private Gathered local(Request request, int limit, EscalationCursor after) {
        String tier = request.parameters().get("tier");
        String agent = request.parameters().get("agent");
        Gathered gathered = new Gathered();
        PriorityQueue<AuditRecord> firstOnes = new PriorityQueue<>(Comparator.comparing(EscalationCursor::of).reversed());
        try (KeyValueIterator<String, CaseFileValue> all = stores.<CaseFileValue>all(GateStores.OPEN_ESCALATIONS).all()) {
            LiveEntries.forEach(all, (intentId, value) -> {
                AuditRecord caseFile = value.caseFile();
                if (!PendingEscalations.matches(caseFile, tier, agent)) {
                    return;
                }
                gathered.open++;
                if (after != null && EscalationCursor.of(caseFile).compareTo(after) <= 0) {
                    return;
                }
                gathered.remaining++;
                firstOnes.add(caseFile);
                if (firstOnes.size() > limit) {
                    firstOnes.poll();
                }
            });
        }
        pending.from(firstOnes, tier, agent).forEach(escalation ->
                gathered.escalations.add(QueryJson.mapper().valueToTree(escalation)));
        return gathered;
    }

    /**
     * Adds a peer's page and counts, or names the peer under {@code unreachable} with why: no answer,
     * another status, or a body that is not a page of escalations (a proxy's error page). A peer of a
     * version without paging answers with every open escalation and no counts: what lies before the
     * cursor is dropped and the counts are taken from the list.
     */
    private static void gather(HostInfo peer, CompletableFuture<HttpResponse<String>> asked, EscalationCursor after, Gathered gathered) {
        String name = peer.host() + ":" + peer.port();
        HttpResponse<String> answer;
        try {
            answer = asked.get();
        } catch (ExecutionException e) {
            gathered.unreachable.add(name + ": " + e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            gathered.unreachable.add(name + ": interrupted");
            return;
        }
        if (answer.statusCode() != 200) {
            gathered.unreachable.add(name + ": HTTP " + answer.statusCode() + " " + answer.body());
            return;
        }
        List<JsonNode> listed = new ArrayList<>();
        JsonNode body;
        try {
            body = QueryJson.read(answer.body());
            JsonNode escalations = body.path("escalations");
            if (!escalations.isArray()) {
                throw new IllegalArgumentException("no list of escalations in " + QueryJson.abbreviated(answer.body()));
            }
            for (JsonNode escalation : escalations) {
                EscalationCursor position = position(escalation);
                if (after == null || position.compareTo(after) > 0) {
                    listed.add(escalation);
                }
            }
        } catch (IllegalArgumentException e) {
            gathered.unreachable.add(name + ": answered what is not a page of escalations: " + e.getMessage());
            return;
        }
        gathered.escalations.addAll(listed);
        gathered.open += body.has("open") ? body.get("open").asLong() : body.get("escalations").size();
        gathered.remaining += body.has("remaining") ? body.get("remaining").asLong() : listed.size();
    }

    /** @throws IllegalArgumentException if the escalation lacks its time or id */
    private static EscalationCursor position(JsonNode escalation) {
        JsonNode escalatedAt = escalation.path("escalatedAt");
        JsonNode intentId = escalation.path("intentId");
        if (!escalatedAt.isTextual() || !intentId.isTextual()) {
            throw new IllegalArgumentException("an escalation without escalatedAt or intentId: " + QueryJson.abbreviated(escalation.toString()));
        }
        try {
            return new EscalationCursor(Instant.parse(escalatedAt.asText()), intentId.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("escalatedAt is not an instant: " + escalatedAt.asText(), e);
        }
    }

    /** What the instances answered so far: their pages, and how many match in all and from the cursor on. */
    private static final class Gathered {
        final List<JsonNode> escalations = new ArrayList<>();
        final List<String> unreachable = new ArrayList<>();
        long open;
        long remaining;

        /**
         * The first {@code limit} of all pages, in the list's order. An escalation whose partition moved
         * between this instance's read and a peer's is listed by both: it is shown once.
         */
        List<JsonNode> firstOnes(int limit) {
            Map<String, JsonNode> byId = new LinkedHashMap<>();
            escalations.stream().sorted(LISTED).forEach(escalation -> byId.putIfAbsent(escalation.get("intentId").asText(), escalation));
            return byId.values().stream().limit(limit).toList();
        }
    }
}
