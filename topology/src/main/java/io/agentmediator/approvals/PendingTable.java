package io.agentmediator.approvals;

import io.agentmediator.text.Printable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Open escalations as an aligned text table, one line per escalation under a header. */
public final class PendingTable {

    private static final List<String> HEADER = List.of("INTENT", "AGENT", "TIER", "AGE", "DEADLINE", "LEFT", "FIRST REASON");
    private static final String NONE = "-";

    private PendingTable() {}

    public static List<String> lines(List<PendingEscalation> pending) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        pending.forEach(escalation -> rows.add(row(escalation)));
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int column = 0; column < widths.length; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        return rows.stream().map(row -> format(row, widths)).toList();
    }

    /** Escaped ({@link Printable}): an intent id or reason that carried a line break or an escape sequence would forge a row. */
    private static List<String> row(PendingEscalation escalation) {
        return escaped(
                escalation.intentId(),
                escalation.agentId(),
                escalation.tier() == null ? NONE : escalation.tier(),
                Durations.brief(escalation.age()),
                escalation.deadline() == null ? NONE : escalation.deadline().toString(),
                left(escalation),
                escalation.firstReason());
    }

    private static List<String> escaped(String... cells) {
        return Arrays.stream(cells).map(Printable::escape).toList();
    }

    private static String left(PendingEscalation escalation) {
        if (escalation.timeLeft() == null) {
            return NONE;
        }
        // Overdue ones are closed by the mediator's next deadline check; until then they are still open.
        return escalation.timeLeft().isNegative() ? "overdue " + Durations.brief(escalation.timeLeft()) : Durations.brief(escalation.timeLeft());
    }

    private static String format(List<String> row, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int column = 0; column < row.size(); column++) {
            String cell = row.get(column);
            line.append(cell);
            if (column < row.size() - 1) {
                line.append(" ".repeat(widths[column] - cell.length() + 2));
            }
        }
        return line.toString();
    }
}
