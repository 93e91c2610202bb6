package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.http.Caller;
import io.agentmediator.http.HttpCall;
import io.agentmediator.http.Reply;
import io.agentmediator.http.Role;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestTest {

    @Test
    void shouldTakeTheSegmentAfterAPrefixUpToTheNextSlash() {
        Request request = new Request("/agents/finance analyst/budgets", Map.of(), false);

        assertThat(request.segmentAfter(BudgetsQuery.PREFIX)).isEqualTo("finance analyst");
        assertThat(request.segmentAfter(CaseQuery.PREFIX)).isNull();
        assertThat(new Request("/cases/", Map.of(), false).segmentAfter(CaseQuery.PREFIX)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ops scheduler", "ops+bot", "R&D", "a;b", "x=y", "50%", "what?", "#1", "zürich-ñ", "%2B", "orders/2026/inv-1"})
    void shouldRelayPathsAndParametersSoThePeerDecodesTheSameValues(String value) {
        // When an instance relays a question about this value, as a path segment and as a parameter
        String query = PeerUris.query(Map.of("agent", value, "tier", "MANAGER"));
        URI uri = URI.create("http://10.0.0.9:8080" + CaseQuery.PREFIX + PeerUris.segment(value) + query);
        Request relayed = Request.of(new HttpCall(uri.getPath(), uri.getRawPath(), query.substring(1), name -> null, Caller.unauthenticated()));

        // Then the peer reads the same value, no more and no less
        assertThat(relayed.segmentAfter(CaseQuery.PREFIX)).isEqualTo(value);
        assertThat(relayed.parameters()).isEqualTo(Map.of("agent", value, "tier", "MANAGER"));
    }

    @Test
    void shouldRefuseAQueryThatIsNotUrlEncoded() {
        assertThatThrownBy(() -> Request.of(new HttpCall("/escalations", "/escalations", "tier=%zz", name -> null, Caller.unauthenticated())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%zz");
        Reply reply = new QueryHandler(request -> Answer.ok(Map.of())).answer(new HttpCall("/escalations", "/escalations", "agent=%", name -> null,
                Caller.unauthenticated()));
        assertThat(reply.status()).isEqualTo(400);
    }

    @Test
    void shouldHonourTheForwardingHeaderOnlyFromACallerThatAuthenticatedAsAnInstance() {
        Map<String, String> headers = Map.of(Peers.FORWARDED_HEADER, "10.0.0.9:8080");
        Caller approver = new Caller("approver token", Set.of(Role.APPROVER));
        Caller instance = new Caller("instance token", Set.of(Role.INSTANCE));

        assertThat(Request.of(new HttpCall("/escalations", "/escalations", null, headers::get, approver)).forwarded()).isFalse();
        assertThat(Request.of(new HttpCall("/escalations", "/escalations", null, headers::get, instance)).forwarded()).isTrue();
        assertThat(Request.of(new HttpCall("/escalations", "/escalations", null, name -> null, instance)).forwarded()).isFalse();
        assertThat(Request.of(new HttpCall("/escalations", "/escalations", null, headers::get, Caller.unauthenticated())).forwarded())
                .as("authentication off: as before tokens existed").isTrue();
    }
}
