package io.agentmediator.query;

import io.agentmediator.schema.AuditRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Comparator;

/**
 * A place in the list of open escalations, which is ordered by when each was escalated and then by
 * intent id. A page ends at one; the next starts after it. Keyset rather than an offset, so
 * escalations answered between two pages move no other one onto a page already read or off the next.
 * Its token is opaque to callers (base64url of the time and the id), since intent ids may hold any
 * character.
 */
record EscalationCursor(Instant escalatedAt, String intentId) implements Comparable<EscalationCursor> {

    private static final String NOT_A_CURSOR = "after: not a cursor from a previous page's \"next\"";
    private static final Comparator<EscalationCursor> ORDER =
            Comparator.comparing(EscalationCursor::escalatedAt).thenComparing(EscalationCursor::intentId);

    static EscalationCursor of(AuditRecord openEscalation) {
        return new EscalationCursor(openEscalation.getDecision().getDecidedAt(), openEscalation.getIntentId());
    }

    /** @throws IllegalArgumentException if the token is not one this class wrote */
    static EscalationCursor parse(String token) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(NOT_A_CURSOR, e);
        }
        int newline = text.indexOf('\n');
        if (newline < 0) {
            throw new IllegalArgumentException(NOT_A_CURSOR);
        }
        try {
            return new EscalationCursor(Instant.parse(text.substring(0, newline)), text.substring(newline + 1));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(NOT_A_CURSOR, e);
        }
    }

    String token() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((escalatedAt + "\n" + intentId).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int compareTo(EscalationCursor other) {
        return ORDER.compare(this, other);
    }
}
