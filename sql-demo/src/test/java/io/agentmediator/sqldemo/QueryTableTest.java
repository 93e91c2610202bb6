package io.agentmediator.sqldemo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryTableTest {

    @Test
    void shouldAlignTheColumnsAndSayHowManyRowsWereNotShown() throws Exception {
        // Given three rows of an answer
        List<Map<String, Object>> rows = List.of(row("REJECT", 12L), row("ACTION_NOT_ALLOWED", 3L), row("DENIED", null));

        // When two are shown
        List<String> lines = QueryTable.lines(rows, 2);

        // Then as psql would, with a count
        assertThat(lines).containsExactly(
                " first_reason       | intents",
                " ------------------ | -------",
                " REJECT             | 12",
                " ACTION_NOT_ALLOWED | 3",
                "(3 rows, 2 shown)");
    }

    @Test
    void shouldSayThereIsNoRow() throws Exception {
        assertThat(QueryTable.lines(List.of(), 5)).containsExactly("(0 rows)");
    }

    private static Map<String, Object> row(String reason, Long intents) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("first_reason", reason);
        row.put("intents", intents);
        return row;
    }
}
