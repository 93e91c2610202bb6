package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.approvals.PendingEscalation;
import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.testing.PipelineDriver;
import io.agentmediator.testing.TestKeys;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /escalations} a page at a time over escalations the real topology opened: pages follow
 * each other without a gap or a repeat, also when escalations are answered between two pages, and
 * the counts say how many there are. Requests are relayed ones, so only this instance's stores are
 * read; the fan-out across instances is {@link QueryForwardingIT}'s.
 */
class EscalationsQueryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T09:00:00Z");
    private static final String POLICY = """
            version: "paging-1"
            defaults: { escalationTimeout: PT48H, crossDepartmentTier: BOARD }
            tiers: [MANAGER, BOARD]
            agents:
              - id: buyer
                department: procurement
                capabilities: { actions: ["*"], targets: ["*"] }
                authority: { maxCommitmentMicros: 1000 }
              - id: planner
                department: operations
                capabilities: { actions: ["*"], targets: ["*"] }
            approvers:
              - { id: proc-manager, tier: MANAGER, publicKey: "%s" }
            """.formatted(TestKeys.publicKey("proc-manager"));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);
    // Peers are never asked: every request below is a relayed one.
    private final EscalationsQuery query = new EscalationsQuery(null, mediator.localStores(),
            new PendingEscalations(Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC)));

    @AfterEach
    void close() {
        mediator.close();
    }

    @Test
    void shouldListEveryOpenEscalationOncePageByPageInTheOrderOfTheWholeList() {
        // Given 250 escalations, two at each instant (so the order falls back on the intent id), MANAGER and BOARD
        escalate(250);
        List<String> whole = wholeList(null);
        assertThat(whole).hasSize(250);

        // When read 100 at a time
        List<JsonNode> pages = readAll("limit=100");

        // Then three pages cover the whole list in its order, with the counts at each step
        assertThat(pages).extracting(page -> page.get("escalations").size()).containsExactly(100, 100, 50);
        assertThat(pages).extracting(page -> page.get("open").asLong()).containsOnly(250L);
        assertThat(pages).extracting(page -> page.get("remaining").asLong()).containsExactly(250L, 150L, 50L);
        assertThat(pages.get(2).get("next").isNull()).isTrue();
        assertThat(ids(pages)).isEqualTo(whole);
    }

    @Test
    void shouldSkipNothingWhenEscalationsAreAnsweredBetweenTwoPages() {
        // Given 120 MANAGER escalations (and 120 BOARD ones) and the first page of 50 read
        escalate(240);
        List<String> whole = wholeList("MANAGER");
        JsonNode first = page("tier=MANAGER&limit=50");

        // When one escalation of the first page and one of the second are approved
        mediator.approve(whole.get(10), "proc-manager", ApprovalDecision.APPROVE, T0.plusSeconds(3_600));
        mediator.approve(whole.get(60), "proc-manager", ApprovalDecision.DENY, T0.plusSeconds(3_600));
        List<JsonNode> rest = readFrom(first.get("next").asText(), "tier=MANAGER&limit=50");

        // Then the following pages start right after the first one's last, without the answered one
        List<String> expected = new ArrayList<>(whole.subList(50, whole.size()));
        expected.remove(whole.get(60));
        assertThat(ids(rest)).isEqualTo(expected);
        assertThat(rest.get(0).get("open").asLong()).isEqualTo(118);
    }

    @Test
    void shouldFilterBeforePaging() {
        escalate(90);
        List<JsonNode> pages = readAll("tier=board&limit=20");
        assertThat(ids(pages)).isEqualTo(wholeList("BOARD")).hasSize(45);
        assertThat(pages.get(0).get("open").asLong()).isEqualTo(45);
        assertThat(ids(readAll("agent=planner&tier=MANAGER"))).isEmpty();
    }

    @Test
    void shouldListAHundredWithoutALimit() {
        escalate(150);
        JsonNode first = page("");
        assertThat(first.get("escalations").size()).isEqualTo(EscalationsQuery.DEFAULT_LIMIT);
        assertThat(first.get("next").isNull()).isFalse();
    }

    @Test
    void shouldRefuseALimitOrCursorItCannotUse() {
        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "after=not-a-cursor", "after=bm90LWEtY3Vyc29y")) {
            Answer answer = query.answer(relayed(bad));
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(QueryJson.read(answer.json()).get("error").asText()).as(bad).startsWith(bad.substring(0, bad.indexOf('=')));
        }
    }

    /**
     * Escalations at T0 + i/2 seconds: even ones OVER_AUTHORITY to MANAGER, odd ones cross-department to
     * BOARD. Their ids are shuffled against time, so the store (in key order) does not hand them over in
     * the list's order.
     */
    private void escalate(int count) {
        for (int i = 0; i < count; i++) {
            boolean manager = i % 2 == 0;
            AgentIntent intent = AgentIntent.newBuilder().setIntentId("esc-" + (i * 7_919 % 1_009) + "-" + i).setAgentId(manager ? "buyer" : "planner")
                    .setAction("order.place").setTarget("erp").setCostMicros(0).setCommitmentMicros(manager ? 5_000 : 0)
                    .setConfidence(0.95).setDepartments(manager ? List.of() : List.of("finance")).build();
            mediator.send(intent, T0.plusSeconds(i / 2));
        }
    }

    private List<String> wholeList(String tier) {
        return new PendingEscalations(Clock.systemUTC()).from(mediator.caseFiles().values(), tier, null).stream()
                .map(PendingEscalation::intentId).toList();
    }

    private List<JsonNode> readAll(String query) {
        List<JsonNode> pages = new ArrayList<>();
        pages.add(page(query));
        while (!pages.get(pages.size() - 1).get("next").isNull()) {
            pages.add(page(query + "&after=" + pages.get(pages.size() - 1).get("next").asText()));
        }
        return pages;
    }

    private List<JsonNode> readFrom(String cursor, String query) {
        List<JsonNode> pages = new ArrayList<>();
        String next = cursor;
        while (next != null) {
            JsonNode page = page(query + "&after=" + next);
            pages.add(page);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        }
        return pages;
    }

    private JsonNode page(String query) {
        Answer answer = query.isEmpty() ? this.query.answer(relayed(null)) : this.query.answer(relayed(query));
        assertThat(answer.status()).as(answer.json()).isEqualTo(200);
        return QueryJson.read(answer.json());
    }

    private static Request relayed(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return new Request(EscalationsQuery.PATH, rawQuery, Map.copyOf(parameters), true);
    }

    private static List<String> ids(List<JsonNode> pages) {
        List<String> ids = new ArrayList<>();
        pages.forEach(page -> page.get("escalations").forEach(escalation -> ids.add(escalation.get("intentId").asText())));
        return ids;
    }
}
