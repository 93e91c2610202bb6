package io.agentmediator.budget;

import io.agentmediator.policy.BudgetWindow;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the calendar window an instant falls in, aligned in the policy's zone: an HOUR starts on the
 * hour, a DAY at local midnight, a WEEK on Monday (ISO) and a MONTH on the 1st, each at 00:00 local time.
 *
 * <p>Boundaries are computed on the zone's own calendar, never as fixed lengths, so a DAY is 23 or 25
 * hours long when the clocks change. When the clocks go back an hour is repeated: the two are separate
 * one-hour windows. Keys for DAY, WEEK and MONTH carry only the local date ({@code DAY:2026-11-21},
 * {@code WEEK:2026-W47}, {@code MONTH:2026-11}), so they stay the same when a policy moves to another zone.
 * HOUR keys name the hour's start in UTC ({@code HOUR:2026-10-25T00:00+00:00} for 02:00 in Berlin): the
 * repeated hours have keys of their own, and an hour keeps its key, and so its balance, when a policy moves
 * to a zone whose hours start at the same instants. Keyed by local time and offset, as before, Berlin's
 * 11:00 and UTC's 10:00 were two balances for one hour, and a zone change let an agent spend its HOUR limit twice.
 */
public final class WindowCalendar {

    private static final DateTimeFormatter HOUR_KEY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mmxxx", Locale.ROOT);

    private WindowCalendar() {
    }

    /** The window of the given kind that {@code at} falls in. */
    public static CalendarWindow windowAt(BudgetWindow window, ZoneId zone, Instant at) {
        return switch (window) {
            case HOUR -> hourAt(zone, at);
            case DAY -> {
                LocalDate day = LocalDate.ofInstant(at, zone);
                yield days(window, day, day.plusDays(1), zone, "DAY:" + day);
            }
            case WEEK -> {
                LocalDate monday = LocalDate.ofInstant(at, zone).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                String key = String.format(Locale.ROOT, "WEEK:%d-W%02d",
                        monday.get(IsoFields.WEEK_BASED_YEAR), monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                yield days(window, monday, monday.plusWeeks(1), zone, key);
            }
            case MONTH -> {
                LocalDate first = LocalDate.ofInstant(at, zone).withDayOfMonth(1);
                yield days(window, first, first.plusMonths(1), zone, "MONTH:" + YearMonth.from(first));
            }
        };
    }

    private static CalendarWindow days(BudgetWindow window, LocalDate first, LocalDate next, ZoneId zone, String key) {
        // atStartOfDay, not midnight: where midnight falls in a gap the day starts when the gap ends.
        return new CalendarWindow(window, first.atStartOfDay(zone).toInstant(), next.atStartOfDay(zone).toInstant(), key);
    }

    /**
     * Between two offset changes local time moves with the instant, so the hour is the local hour under
     * the offset in force at {@code at}; an offset change also ends an hour, so that repeated hours stay
     * apart and zones that move by half an hour still give windows that tile time without overlaps.
     */
    private static CalendarWindow hourAt(ZoneId zone, Instant at) {
        ZoneRules rules = zone.getRules();
        ZoneOffset offset = rules.getOffset(at);
        LocalDateTime hour = LocalDateTime.ofInstant(at, offset).truncatedTo(ChronoUnit.HOURS);
        Instant start = hour.toInstant(offset);
        Instant end = hour.plusHours(1).toInstant(offset);
        // previousTransition is strictly before its argument; a change exactly at `at` starts this window.
        ZoneOffsetTransition previous = rules.previousTransition(at.plusNanos(1));
        if (previous != null && previous.getInstant().isAfter(start)) {
            start = previous.getInstant();
        }
        ZoneOffsetTransition next = rules.nextTransition(at);
        if (next != null && next.getInstant().isBefore(end)) {
            end = next.getInstant();
        }
        return new CalendarWindow(BudgetWindow.HOUR, start, end, hourKey(start, ZoneOffset.UTC));
    }

    /**
     * The key earlier versions filed an HOUR window under in {@code zone}: its local start with the zone's offset;
     * empty for any other window, and where that is its key (UTC). A balance charged under it before an upgrade is charged
     * there for the rest of its hour (see {@link BudgetLedger}), so the upgrade does not open a second balance for it.
     */
    public static Optional<String> formerKey(CalendarWindow window, ZoneId zone) {
        ZoneOffset offset = window.window() == BudgetWindow.HOUR ? zone.getRules().getOffset(window.start()) : ZoneOffset.UTC;
        // At offset zero the former key is the key: nothing to format on the path of every intent in a UTC policy.
        return offset.equals(ZoneOffset.UTC) ? Optional.empty() : Optional.of(hourKey(window.start(), offset));
    }

    private static String hourKey(Instant start, ZoneOffset offset) {
        return "HOUR:" + ZonedDateTime.ofInstant(start, offset).format(HOUR_KEY);
    }
}
