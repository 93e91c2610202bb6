package io.agentmediator.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
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
}
