package io.agentmediator.backtest;

import io.agentmediator.json.DecisionJson;
import io.agentmediator.schema.Decision;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;

/**
 * Plays each event it is given and prints the decisions as JSON lines, with a progress line on the
 * error stream every so many events, so a long backtest shows it is alive without mixing anything
 * into the decisions.
 */
final class DecisionPrinter implements Consumer<BacktestEvent> {

    private final Backtest backtest;
    private final PrintWriter decisions;
    private final PrintWriter progress;
    private final long progressEvery;
    private long eventCount;
    private long decisionCount;

    DecisionPrinter(Backtest backtest, PrintWriter decisions, PrintWriter progress, long progressEvery) {
        this.backtest = backtest;
        this.decisions = decisions;
        this.progress = progress;
        this.progressEvery = progressEvery;
    }

    @Override
    public void accept(BacktestEvent event) {
        print(backtest.play(event));
        eventCount++;
        if (eventCount % progressEvery == 0) {
            progress.println("backtest: " + eventCount + " events played, " + decisionCount + " decisions so far");
        }
    }

    /** After the last event: what the checks still decide (Backtest#finish). */
    void finish() {
        print(backtest.finish());
    }

    private void print(List<Decision> made) {
        for (Decision decision : made) {
            decisions.println(DecisionJson.write(decision));
            decisionCount++;
        }
    }

    /** The closing line: how many events were played and how many decisions they caused. */
    String summary() {
        return "backtest: " + eventCount + " events played, " + decisionCount + " decisions";
    }
}
