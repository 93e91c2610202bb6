package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentmediator.policy.PolicySource;
import io.agentmediator.schema.Decision;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/POLICY.md's worked example ("trying a rule change before publishing it") shows the file {@code morning.jsonl} and what
 * the example policy decides for it, condensed as its {@code jq} filter condenses it. The example policy changes; the page
 * must say what it decides now.
 */
class PolicyWorkedExampleTest {

    private static final Path POLICY_PAGE = Path.of("../docs/POLICY.md");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldShowWhatTheExamplePolicyDecidesForTheMorning() throws IOException {
        // Given the page's morning.jsonl and the decisions it prints for it
        String page = Files.readString(POLICY_PAGE);
        String morning = block(page, page.indexOf("<code>morning.jsonl</code>"), "```json\n");
        String shown = block(page, page.indexOf("--events morning.jsonl 2>/dev/null | jq -c \"$S\"\n"), "\n");

        // When the example policy plays it
        List<BacktestEvent> events = new ArrayList<>();
        EventFileReader.read(new BufferedReader(new StringReader(morning)), events::add);
        List<String> decided = new ArrayList<>();
        for (Decision decision : Backtest.run(PolicySource.load("classpath:policies/example.yaml").policy(), events)) {
            decided.add(condensed(decision));
        }

        // Then the page shows exactly those decisions
        assertThat(events).hasSize(22);
        assertThat(decided).containsExactlyElementsOf(shown.lines().toList());
    }

    /** The text after {@code opening}, searched from {@code from}, up to the closing fence. */
    private static String block(String page, int from, String opening) {
        assertThat(from).as("the worked example is on the page").isNotNegative();
        int start = page.indexOf(opening, from) + opening.length();
        return page.substring(start, page.indexOf("```", start));
    }

    /** As the page's filter: {intentId,outcome,tier,reasons:[.reasons[]|.code+(if .ruleId then ":"+.ruleId else "" end)]}. */
    private static String condensed(Decision decision) throws IOException {
        ObjectNode condensed = JSON.createObjectNode();
        condensed.put("intentId", decision.getIntentId());
        condensed.put("outcome", decision.getOutcome().name());
        condensed.put("tier", decision.getTier());
        var reasons = condensed.putArray("reasons");
        decision.getReasons().forEach(reason -> reasons.add(reason.getCode().name() + (reason.getRuleId() == null ? "" : ":" + reason.getRuleId())));
        return JSON.writeValueAsString(condensed);
    }
}
