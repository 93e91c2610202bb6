package io.agentmediator.budget;

import static io.agentmediator.testing.RandomCases.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.BudgetWindow;
import io.agentmediator.testing.RandomCases;
import io.agentmediator.testing.RandomCases.Draw;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * In every zone the tz database knows, windows of each kind tile time: no gaps, no overlaps.
 *
 * <p>The property runs on {@value #TRIES} cases drawn by {@link RandomCases} from a fixed seed: a zone, a
 * kind of window and an instant, a quarter each near today, across a century, near the 2026 clock changes
 * of a few zones and near one of the drawn zone's own clock changes, which is how the rare changes that fall
 * off the hour (Chatham's, at a quarter to three) get tried.
 */
class WindowCalendarPropertiesTest {

    private static final int TRIES = 10_000;
    /** Sorted: the set's own order may differ between runs, and then a seed would not replay a case. */
    private static final List<ZoneId> ZONES = ZoneId.getAvailableZoneIds().stream().sorted().map(ZoneId::of).toList();
    private static final List<BudgetWindow> KINDS = List.of(BudgetWindow.values());
    /** The 2026 clock changes of Berlin, New York and Lord Howe (which moves by half an hour). */
    private static final List<Instant> CHANGES = List.of(
            Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
            Instant.parse("2026-03-08T07:00:00Z"), Instant.parse("2026-11-01T06:00:00Z"),
            Instant.parse("2026-04-04T15:00:00Z"), Instant.parse("2026-10-03T15:30:00Z"));
    private static final long TWO_HOURS_MILLIS = 7_200_000;

    @Test
    void shouldContainTheInstantAndMeetItsNeighbours() {
        RandomCases.forAll(TRIES, WindowCalendarPropertiesTest::cases, drawn -> {
            // Given / When
            CalendarWindow window = WindowCalendar.windowAt(drawn.kind(), drawn.zone(), drawn.at());
            CalendarWindow next = WindowCalendar.windowAt(drawn.kind(), drawn.zone(), window.end());
            CalendarWindow previous =
                    WindowCalendar.windowAt(drawn.kind(), drawn.zone(), window.start().minusMillis(1));

            // Then
            assertThat(window.contains(drawn.at())).as("%s contains %s", window, drawn.at()).isTrue();
            assertThat(next.start()).as("after %s", window).isEqualTo(window.end());
            assertThat(previous.end()).as("before %s", window).isEqualTo(window.start());
            assertThat(next.key()).isNotEqualTo(window.key());
            assertThat(WindowCalendar.windowAt(drawn.kind(), drawn.zone(), window.start())).isEqualTo(window);
        });
    }

    private static Case cases(Draw draw) {
        ZoneId zone = draw.oneOf(ZONES);
        // The zone is drawn separately from the fixed clock changes, so every zone meets those instants too.
        Instant at = draw.frequencyOf(
                weighted(1, () -> between(draw, "2025-01-01T00:00:00Z", "2028-01-01T00:00:00Z")),
                weighted(1, () -> anyTime(draw)),
                weighted(1, () -> nearChange(draw, draw.oneOf(CHANGES))),
                weighted(1, () -> nearOwnChange(draw, zone)));
        return new Case(zone, at, draw.oneOf(KINDS));
    }

    private static Instant nearOwnChange(Draw draw, ZoneId zone) {
        ZoneRules rules = zone.getRules();
        Instant from = anyTime(draw);
        ZoneOffsetTransition next = rules.nextTransition(from);
        ZoneOffsetTransition change = next != null ? next : rules.previousTransition(from);
        if (change == null) {
            // A zone whose offset never changed has no change to be near.
            return from;
        }
        // Exactly at the change, or just before it, is where one window hands over to the next.
        return draw.frequencyOf(
                weighted(3, () -> nearChange(draw, change.getInstant())),
                weighted(1, () -> change.getInstant().minusMillis(draw.intBetween(0, 1))));
    }

    private static Instant nearChange(Draw draw, Instant change) {
        return change.plusMillis(draw.longBetween(-TWO_HOURS_MILLIS, TWO_HOURS_MILLIS));
    }

    private static Instant anyTime(Draw draw) {
        return between(draw, "1950-01-01T00:00:00Z", "2060-01-01T00:00:00Z");
    }

    private static Instant between(Draw draw, String from, String to) {
        return Instant.ofEpochMilli(
                draw.longBetween(Instant.parse(from).toEpochMilli(), Instant.parse(to).toEpochMilli()));
    }

    record Case(ZoneId zone, Instant at, BudgetWindow kind) {
    }
}
