package io.agentmediator.audit;

import io.agentmediator.schema.TimelineEntry;
import io.agentmediator.text.Printable;
import java.time.Instant;

/** A case file's timeline entries, with actors and details safe to print (they quote what others sent). */
public final class Timeline {

    private Timeline() {}

    public static TimelineEntry entry(Instant at, String event, String actor, String detail) {
        return new TimelineEntry(at, event, Printable.escape(actor), Printable.escape(detail));
    }
}
