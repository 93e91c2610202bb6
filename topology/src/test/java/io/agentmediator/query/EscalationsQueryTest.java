package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentmediator.approvals.PendingEscalation;
import io.agentmediator.approvals.PendingEscalations;
import io.agentmediator.schema.AgentIntent;
import io.agentmediator.schema.ApprovalDecision;
import io.agentmediator.schema.AuditRecord;
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
 * each other without a gap or a repeat, also when escalations are answered between two pages or are
 * spread over instances, and the counts say how many there are. Other instances are fakes here; over
 * HTTP between real instances it is {@link QueryForwardingIT}.
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

    private static final PendingEscalations PENDING = new PendingEscalations(Clock.fixed(T0.plusSeconds(86_400), ZoneOffset.UTC));

    private final PipelineDriver mediator = new PipelineDriver(POLICY, T0);
    private final PipelineDriver other = new PipelineDriver(POLICY, T0);
    private EscalationsQuery query = new EscalationsQuery(new FakeInstances(), mediator.localStores(), PENDING);

    @AfterEach
    void close() {
        mediator.close();
        other.close();
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
    void shouldListAHundredWithoutALimitButEveryOneToAnInstanceOfAVersionWithoutPaging() {
        escalate(mediator, 150, "esc");
        JsonNode first = page("");
        assertThat(first.get("escalations").size()).isEqualTo(EscalationsQuery.DEFAULT_LIMIT);
        assertThat(first.get("next").isNull()).isFalse();
        // An instance that does not page relays without a limit and expects all
        Answer toOldInstance = query.answer(new Request(EscalationsQuery.PATH, Map.of(), true));
        assertThat(QueryJson.read(toOldInstance.json()).get("escalations").size()).isEqualTo(150);
    }

    @Test
    void shouldPageThroughEscalationsSpreadOverInstancesAsOneList() {
        // Given escalations on this instance and on another, and an instance that cannot be reached
        escalate(mediator, 40, "here");
        escalate(other, 30, "there");
        query = new EscalationsQuery(new FakeInstances()
                .answering("10.0.0.2", new EscalationsQuery(new FakeInstances(), other.localStores(), PENDING))
                .unreachable("10.0.0.3"), mediator.localStores(), PENDING);

        // When read 7 at a time
        List<JsonNode> pages = readAll("limit=7");

        // Then the pages are both instances' escalations in one order, counted together, the silent one named on each
        List<String> both = ids(List.of(page("limit=1000")));
        assertThat(both).hasSize(70).isEqualTo(sortedLikeTheList(mediator, other));
        assertThat(ids(pages)).isEqualTo(both);
        assertThat(pages).hasSize(10).allSatisfy(page -> {
            assertThat(page.get("open").asLong()).isEqualTo(70);
            assertThat(page.get("unreachable").toString()).contains("10.0.0.3:8080", "connection refused");
        });
    }

    @Test
    void shouldListAnEscalationOnceWhenItsPartitionMovedWhileTheInstancesWereAsked() {
        // Given another instance that now holds the same partition as this one read a moment before
        escalate(mediator, 12, "here");
        query = new EscalationsQuery(new FakeInstances().answering("10.0.0.2", new EscalationsQuery(new FakeInstances(),
                mediator.localStores(), PENDING)), mediator.localStores(), PENDING);

        // Then each escalation is listed once
        assertThat(ids(readAll("limit=5"))).isEqualTo(wholeList(null)).hasSize(12);
    }

    @Test
    void shouldPageWithAnInstanceOfAVersionWithoutPagingThatAnswersEverything() {
        escalate(mediator, 40, "here");
        escalate(other, 30, "there");
        String everything = QueryJson.write(Map.of("escalations", PENDING.from(other.caseFiles().values(), null, null), "unreachable", List.of()));
        query = new EscalationsQuery(new FakeInstances().replying("10.0.0.2", 200, everything), mediator.localStores(), PENDING);

        List<JsonNode> pages = readAll("limit=7");

        assertThat(ids(pages)).isEqualTo(sortedLikeTheList(mediator, other));
        assertThat(pages.get(0).get("open").asLong()).isEqualTo(70);
    }

    @Test
    void shouldNameAnInstanceThatAnswersSomethingElseAsUnreachableAndListTheRest() {
        escalate(mediator, 10, "here");
        query = new EscalationsQuery(new FakeInstances()
                .replying("proxy-page", 200, "<html>bad gateway</html>")
                .replying("no-list", 200, "{\"error\": \"?\"}")
                .replying("no-time", 200, "{\"escalations\": [{\"intentId\": \"x\"}]}")
                .replying("bad-time", 200, "{\"escalations\": [{\"intentId\": \"x\", \"escalatedAt\": \"yesterday\"}]}")
                .replying("refusing", 401, "{\"error\": \"a bearer token is required\"}"), mediator.localStores(), PENDING);

        JsonNode page = page("");

        assertThat(ids(List.of(page))).hasSize(10);
        assertThat(page.get("open").asLong()).isEqualTo(10);
        assertThat(page.get("unreachable")).extracting(JsonNode::asText).satisfiesExactly(
                proxy -> assertThat(proxy).startsWith("proxy-page:8080: answered what is not a page of escalations"),
                noList -> assertThat(noList).contains("no list of escalations"),
                noTime -> assertThat(noTime).contains("without escalatedAt"),
                badTime -> assertThat(badTime).contains("yesterday"),
                refusing -> assertThat(refusing).startsWith("refusing:8080: HTTP 401"));
    }

    @Test
    void shouldRefuseALimitOrCursorItCannotUse() {
        for (String bad : List.of("limit=0", "limit=1001", "limit=ten", "after=not-a-cursor", "after=bm90LWEtY3Vyc29y")) {
            Answer answer = query.answer(asked(bad));
            assertThat(answer.status()).as(bad).isEqualTo(400);
            assertThat(QueryJson.read(answer.json()).get("error").asText()).as(bad).startsWith(bad.substring(0, bad.indexOf('=')));
        }
    }

    /** Escalations on this instance, as {@link #escalate(PipelineDriver, int, String)} opens them. */
    private void escalate(int count) {
        escalate(mediator, count, "esc");
    }

    /**
     * Escalations at T0 + i/2 seconds: even ones OVER_AUTHORITY to MANAGER, odd ones cross-department to
     * BOARD. Their ids are shuffled against time, so the store (in key order) does not hand them over in
     * the list's order.
     */
    private static void escalate(PipelineDriver instance, int count, String prefix) {
        for (int i = 0; i < count; i++) {
            boolean manager = i % 2 == 0;
            AgentIntent intent = AgentIntent.newBuilder().setIntentId(prefix + "-" + (i * 7_919 % 1_009) + "-" + i)
                    .setAgentId(manager ? "buyer" : "planner").setAction("order.place").setTarget("erp").setCostMicros(0)
                    .setCommitmentMicros(manager ? 5_000 : 0).setConfidence(0.95).setDepartments(manager ? List.of() : List.of("finance"))
                    .build();
            instance.send(intent, T0.plusSeconds(i / 2));
        }
    }

    private List<String> wholeList(String tier) {
        return PENDING.from(mediator.caseFiles().values(), tier, null).stream().map(PendingEscalation::intentId).toList();
    }

    private static List<String> sortedLikeTheList(PipelineDriver... instances) {
        List<AuditRecord> all = new ArrayList<>();
        for (PipelineDriver instance : instances) {
            all.addAll(instance.caseFiles().values());
        }
        return PENDING.from(all, null, null).stream().map(PendingEscalation::intentId).toList();
    }

    private List<JsonNode> readAll(String query) {
        return readFrom(null, query);
    }

    /** Every page from the cursor (from the start when null) to the last. */
    private List<JsonNode> readFrom(String cursor, String query) {
        List<JsonNode> pages = new ArrayList<>();
        String next = cursor;
        do {
            JsonNode page = page(next == null ? query : query + "&after=" + next);
            pages.add(page);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return pages;
    }

    private JsonNode page(String query) {
        Answer answer = this.query.answer(asked(query));
        assertThat(answer.status()).as(answer.json()).isEqualTo(200);
        return QueryJson.read(answer.json());
    }

    /** A request as an approver sends it (not relayed), with the query's parameters. */
    private static Request asked(String query) {
        Map<String, String> parameters = new HashMap<>();
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                parameters.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return new Request(EscalationsQuery.PATH, Map.copyOf(parameters), false);
    }

    private static List<String> ids(List<JsonNode> pages) {
        List<String> ids = new ArrayList<>();
        pages.forEach(page -> page.get("escalations").forEach(escalation -> ids.add(escalation.get("intentId").asText())));
        return ids;
    }
}
