package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ComplianceQueriesTest {

    @Test
    void shouldReadTheTenNamedQueriesOfTheSharedFileInItsOrder() {
        Map<String, ComplianceQueries.Query> queries = ComplianceQueries.all();

        assertThat(queries.keySet()).containsExactly("decisions-of-an-agent-in-a-month", "escalations-approved", "approvers-answers",
                "spend-by-agent-and-month", "budget-windows", "rejected-by-reason", "rejected-by-any-reason",
                "decisions-under-a-policy-version", "executed-then-compensated", "story-of-an-intent");
        assertThat(queries.values()).allSatisfy(query -> assertThat(query.sql()).doesNotContain(";", ":'").doesNotStartWith("--"));
    }

    @Test
    void shouldTurnPsqlVariablesIntoJdbcParametersInOrder() {
        ComplianceQueries.Query query = ComplianceQueries.all().get("decisions-of-an-agent-in-a-month");

        assertThat(query.variables()).containsExactly("agent", "month", "month");
        assertThat(query.sql()).contains("agent_id = ?", "date_trunc('month', ?::timestamp)");
    }

    @Test
    void shouldRefuseToRunAQueryWithoutAValueForEachVariable() {
        ComplianceQueries.Query query = ComplianceQueries.all().get("story-of-an-intent");

        assertThatThrownBy(() -> query.run(null, Map.of())).hasMessageContaining(":'intent'");
    }
}
