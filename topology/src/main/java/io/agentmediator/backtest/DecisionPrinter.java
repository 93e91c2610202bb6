package io.agentmediator.backtest;

import io.agentmediator.json.DecisionJson;
import io.agentmediator.schema.Decision;
import java.io.PrintWriter;
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
        for (Decision decision : backtest.play(event)) {
            decisions.println(DecisionJson.write(decision));
            decisionCount++;
        }
        eventCount++;
        if (eventCount % progressEvery == 0) {
            progress.println("backtest: " + eventCount + " events played, " + decisionCount + " decisions so far");
        }
    }

    /** The closing line: how many events were played and how many decisions they caused. */
    String summary() {
        return "backtest: " + eventCount + " events played, " + decisionCount + " decisions";
    }
}
