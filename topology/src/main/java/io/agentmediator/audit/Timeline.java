package io.agentmediator.audit;

import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.text.Printable;
import java.time.Instant;

/**
 * A case file's timeline entries, with actors and details safe to print (they quote what others sent), each detail
 * at most {@link #DETAIL_MAX_CHARS} long: a comment or an outcome's detail may be as long as the input limits allow, and
 * six times that once its control characters are escaped, and a case file must stay far below Kafka's record limit
 * whatever is sent about it.
 */
public final class Timeline {

    public static final int DETAIL_MAX_CHARS = 4_096;

    private Timeline() {}

    public static TimelineEntry entry(Instant at, String event, String actor, String detail) {
        return new TimelineEntry(at, event, Printable.escape(actor), shortened(Printable.escape(detail)));
    }

    private static String shortened(String detail) {
        if (detail == null || detail.length() <= DETAIL_MAX_CHARS) {
            return detail;
        }
        String kept = Printable.head(detail, DETAIL_MAX_CHARS);
        return kept + "… (" + (detail.length() - kept.length()) + " more characters not kept)";
    }
}
