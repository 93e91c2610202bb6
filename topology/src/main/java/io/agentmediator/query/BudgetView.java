package io.agentmediator.query;

import io.agentmediator.budget.WindowUsage;
import java.time.Instant;
import java.util.List;

/** An agent's budgets as {@code /agents/{id}/budgets} answers: each window the clock is in now. */
record BudgetView(String agentId, String policyVersion, Instant at, List<Window> windows) {

    record Window(String window, Instant start, Instant end, long limitMicros, long spentMicros, long reservedMicros,
                  long remainingMicros, double utilisation, Double warnAt, boolean pastWarning) {

        static Window of(WindowUsage usage) {
            return new Window(usage.window().window().name(), usage.window().start(), usage.window().end(), usage.limitMicros(),
                    usage.spentMicros(), usage.reservedMicros(), usage.remainingMicros(), usage.utilisation(), usage.warnAt(),
                    usage.pastWarning());
        }
    }
}
