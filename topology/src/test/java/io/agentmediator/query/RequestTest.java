package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.http.Caller;
import io.agentmediator.http.HttpCall;
import io.agentmediator.http.Role;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void shouldTakeTheSegmentAfterAPrefixUpToTheNextSlash() {
        Request request = new Request("/agents/finance analyst/budgets", null, Map.of(), false);

        assertThat(request.segmentAfter(BudgetsQuery.PREFIX)).isEqualTo("finance analyst");
        assertThat(request.segmentAfter(CaseQuery.PREFIX)).isNull();
        assertThat(new Request("/cases/", null, Map.of(), false).segmentAfter(CaseQuery.PREFIX)).isNull();
    }

    @Test
    void shouldHandQueryParametersToAPeerDecodedOnceSoTheyAreNotEncodedTwice() {
        Request request = new Request("/escalations", "tier=MANAGER&agent=ops%20scheduler", Map.of(), false);

        assertThat(request.decodedQuery()).isEqualTo("tier=MANAGER&agent=ops scheduler");
        assertThat(new Request("/escalations", null, Map.of(), false).decodedQuery()).isNull();
    }

    @Test
    void shouldHonourTheForwardingHeaderOnlyFromACallerThatAuthenticatedAsAnInstance() {
        Map<String, String> headers = Map.of(Peers.FORWARDED_HEADER, "10.0.0.9:8080");
        Caller approver = new Caller("approver token", Set.of(Role.APPROVER));
        Caller instance = new Caller("instance token", Set.of(Role.INSTANCE));

        assertThat(Request.of(new HttpCall("/escalations", null, headers::get, approver)).forwarded()).isFalse();
        assertThat(Request.of(new HttpCall("/escalations", null, headers::get, instance)).forwarded()).isTrue();
        assertThat(Request.of(new HttpCall("/escalations", null, name -> null, instance)).forwarded()).isFalse();
        assertThat(Request.of(new HttpCall("/escalations", null, headers::get, Caller.unauthenticated())).forwarded())
                .as("authentication off: as before tokens existed").isTrue();
    }
}
