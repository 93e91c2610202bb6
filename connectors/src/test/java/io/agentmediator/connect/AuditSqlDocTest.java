package io.agentmediator.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/AUDIT-SQL.md shows the very queries that AuditSqlIT runs and the demo prints. */
class AuditSqlDocTest {

    @Test
    void shouldShowEveryQueryOfTheSharedFileVerbatim() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "AUDIT-SQL.md"));

        assertThat(ComplianceQueries.all().values()).allSatisfy(query ->
                assertThat(doc).as(query.name()).contains("(`" + query.name() + "`)", "```sql\n" + query.text() + ";\n```"));
    }
}
