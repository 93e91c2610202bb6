package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.PolicySource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DecisionPrinterTest {

    private static final String EXAMPLE_POLICY = "src/main/resources/policies/example.yaml";
    private static final Path EXAMPLE_EVENTS = Path.of("../docs/examples/backtest-events.jsonl");

    @Test
    void shouldReportProgressEverySoManyEventsWithTheDecisionsSoFar() throws Exception {
        StringWriter decisions = new StringWriter();
        StringWriter progress = new StringWriter();
        try (Backtest backtest = new Backtest(PolicySource.load(EXAMPLE_POLICY).policy())) {
            DecisionPrinter printer = new DecisionPrinter(backtest, new PrintWriter(decisions), new PrintWriter(progress), 2);

            // As BacktestCommand does: the first pass claims the raw lines' schema ids before any event is played
            EventFileReader.read(EXAMPLE_EVENTS, backtest::check);
            EventFileReader.read(EXAMPLE_EVENTS, printer);
        }

        assertThat(progress.toString().lines()).containsExactly(
                "backtest: 2 events played, 2 decisions so far",
                "backtest: 4 events played, 4 decisions so far",
                "backtest: 6 events played, 5 decisions so far",
                "backtest: 8 events played, 7 decisions so far",
                "backtest: 10 events played, 9 decisions so far",
                "backtest: 12 events played, 11 decisions so far",
                "backtest: 14 events played, 13 decisions so far",
                "backtest: 16 events played, 13 decisions so far",
                "backtest: 18 events played, 15 decisions so far");
        assertThat(decisions.toString().lines()).hasSize(15);
    }
}
