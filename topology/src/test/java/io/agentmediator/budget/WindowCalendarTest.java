package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentmediator.policy.BudgetWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** Calendar alignment in the policy's zone, where clocks change and months and years differ in length. */
class WindowCalendarTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void shouldMakeTheBerlinSpringForwardDay23HoursLong() {
        // Given 2026-03-29 12:00 in Berlin, the day the clocks go from 02:00 to 03:00
        Instant noon = Instant.parse("2026-03-29T10:00:00Z");

        // When
        CalendarWindow day = WindowCalendar.windowAt(BudgetWindow.DAY, BERLIN, noon);

        // Then it runs from midnight CET to midnight CEST
        assertThat(day.key()).isEqualTo("DAY:2026-03-29");
        assertThat(day.start()).isEqualTo(Instant.parse("2026-03-28T23:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-03-29T22:00:00Z"));
        assertThat(day.length()).isEqualTo(Duration.ofHours(23));
    }

    @Test
    void shouldGoFromTheOneOClockHourStraightToTheThreeOClockHourInBerlinSpring() {
        // Given the last instant before the clocks go forward and the first after
        Instant beforeChange = Instant.parse("2026-03-29T00:59:59.999Z");
        Instant afterChange = Instant.parse("2026-03-29T01:00:00Z");

        // When
        CalendarWindow oneOClock = WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, beforeChange);
        CalendarWindow threeOClock = WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, afterChange);

        // Then
        assertThat(oneOClock.key()).isEqualTo("HOUR:2026-03-29T00:00+00:00");
        assertThat(oneOClock.end()).isEqualTo(afterChange);
        assertThat(threeOClock.key()).isEqualTo("HOUR:2026-03-29T01:00+00:00");
        assertThat(threeOClock.start()).isEqualTo(afterChange);
        assertThat(threeOClock.length()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldMakeTheBerlinFallBackDay25HoursLong() {
        // Given 2026-10-25 in Berlin, the day the clocks go from 03:00 back to 02:00
        Instant evening = Instant.parse("2026-10-25T20:00:00Z");

        // When
        CalendarWindow day = WindowCalendar.windowAt(BudgetWindow.DAY, BERLIN, evening);

        // Then
        assertThat(day.key()).isEqualTo("DAY:2026-10-25");
        assertThat(day.start()).isEqualTo(Instant.parse("2026-10-24T22:00:00Z"));
        assertThat(day.end()).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
        assertThat(day.length()).isEqualTo(Duration.ofHours(25));
    }

    @Test
    void shouldKeepTheRepeatedTwoOClockHoursInBerlinApart() {
        // Given 02:30 summer time and, an hour later, 02:30 winter time
        Instant firstTwoThirty = Instant.parse("2026-10-25T00:30:00Z");
        Instant secondTwoThirty = Instant.parse("2026-10-25T01:30:00Z");

        // When
        CalendarWindow first = WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, firstTwoThirty);
        CalendarWindow second = WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, secondTwoThirty);

        // Then they are two one-hour windows, one after the other, with different keys
        assertThat(first.key()).isEqualTo("HOUR:2026-10-25T00:00+00:00");
        assertThat(second.key()).isEqualTo("HOUR:2026-10-25T01:00+00:00");
        assertThat(first.start()).isEqualTo(Instant.parse("2026-10-25T00:00:00Z"));
        assertThat(first.end()).isEqualTo(second.start());
        assertThat(second.end()).isEqualTo(Instant.parse("2026-10-25T02:00:00Z"));
    }

    @Test
    void shouldAlignNewYorkDaysAcrossBothClockChanges() {
        // Given a moment on each 2026 change day in New York
        Instant springDay = Instant.parse("2026-03-08T17:00:00Z");
        Instant fallDay = Instant.parse("2026-11-01T17:00:00Z");

        // When
        CalendarWindow spring = WindowCalendar.windowAt(BudgetWindow.DAY, NEW_YORK, springDay);
        CalendarWindow fall = WindowCalendar.windowAt(BudgetWindow.DAY, NEW_YORK, fallDay);

        // Then
        assertThat(spring.start()).isEqualTo(Instant.parse("2026-03-08T05:00:00Z"));
        assertThat(spring.end()).isEqualTo(Instant.parse("2026-03-09T04:00:00Z"));
        assertThat(fall.start()).isEqualTo(Instant.parse("2026-11-01T04:00:00Z"));
        assertThat(fall.end()).isEqualTo(Instant.parse("2026-11-02T05:00:00Z"));
    }

    @Test
    void shouldKeepTheRepeatedOneOClockHoursInNewYorkApart() {
        // Given 01:30 daylight time and 01:30 standard time on 2026-11-01
        Instant daylight = Instant.parse("2026-11-01T05:30:00Z");
        Instant standard = Instant.parse("2026-11-01T06:30:00Z");

        // When
        CalendarWindow first = WindowCalendar.windowAt(BudgetWindow.HOUR, NEW_YORK, daylight);
        CalendarWindow second = WindowCalendar.windowAt(BudgetWindow.HOUR, NEW_YORK, standard);

        // Then
        assertThat(first.key()).isEqualTo("HOUR:2026-11-01T05:00+00:00");
        assertThat(second.key()).isEqualTo("HOUR:2026-11-01T06:00+00:00");
        assertThat(first.end()).isEqualTo(second.start()).isEqualTo(Instant.parse("2026-11-01T06:00:00Z"));
    }

    @Test
    void shouldEndAnHourAtAHalfHourClockChangeSoHoursNeitherOverlapNorLeaveGaps() {
        // Given Lord Howe Island, whose clocks go back half an hour at 02:00 on 2026-04-05 (15:00 UTC)
        ZoneId lordHowe = ZoneId.of("Australia/Lord_Howe");

        // When
        CalendarWindow before = WindowCalendar.windowAt(BudgetWindow.HOUR, lordHowe, Instant.parse("2026-04-04T14:45:00Z"));
        CalendarWindow after = WindowCalendar.windowAt(BudgetWindow.HOUR, lordHowe, Instant.parse("2026-04-04T15:15:00Z"));

        // Then the 01:00 hour ends at the change, and 01:30 to 02:00 (winter time) is a half-hour window
        assertThat(before.key()).isEqualTo("HOUR:2026-04-04T14:00+00:00");
        assertThat(before.end()).isEqualTo(Instant.parse("2026-04-04T15:00:00Z"));
        assertThat(after.key()).isEqualTo("HOUR:2026-04-04T15:00+00:00");
        assertThat(after.start()).isEqualTo(before.end());
        assertThat(after.length()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void shouldKeyAnHourByItsStartSoAZoneWhoseHoursStartAtTheSameInstantsNamesItAlike() {
        Instant at = Instant.parse("2026-11-23T10:17:00Z");

        CalendarWindow utc = WindowCalendar.windowAt(BudgetWindow.HOUR, UTC, at);
        CalendarWindow berlin = WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, at);
        CalendarWindow kolkata = WindowCalendar.windowAt(BudgetWindow.HOUR, ZoneId.of("Asia/Kolkata"), at);

        assertThat(berlin.key()).isEqualTo(utc.key()).isEqualTo("HOUR:2026-11-23T10:00+00:00");
        assertThat(kolkata.key()).isEqualTo("HOUR:2026-11-23T09:30+00:00");
        assertThat(kolkata.start()).isEqualTo(Instant.parse("2026-11-23T09:30:00Z"));
    }

    @Test
    void shouldNameTheKeyEarlierVersionsFiledAnHourUnderWhereItDiffers() {
        Instant at = Instant.parse("2026-10-25T01:30:00Z");

        assertThat(WindowCalendar.formerKey(WindowCalendar.windowAt(BudgetWindow.HOUR, BERLIN, at), BERLIN))
                .contains("HOUR:2026-10-25T02:00+01:00");
        assertThat(WindowCalendar.formerKey(WindowCalendar.windowAt(BudgetWindow.HOUR, UTC, at), UTC)).isEmpty();
        assertThat(WindowCalendar.formerKey(WindowCalendar.windowAt(BudgetWindow.DAY, BERLIN, at), BERLIN)).isEmpty();
    }

    @Test
    void shouldStartTheWeekOnMondayAtLocalMidnight() {
        // Given Saturday 2026-11-21 and the Sunday/Monday boundary after it, in Berlin
        Instant saturday = Instant.parse("2026-11-21T12:00:00Z");
        Instant lastOfSunday = Instant.parse("2026-11-22T22:59:59.999Z");
        Instant mondayMidnight = Instant.parse("2026-11-22T23:00:00Z");

        // When
        CalendarWindow week = WindowCalendar.windowAt(BudgetWindow.WEEK, BERLIN, saturday);

        // Then
        assertThat(week.key()).isEqualTo("WEEK:2026-W47");
        assertThat(week.start()).isEqualTo(Instant.parse("2026-11-15T23:00:00Z"));
        assertThat(week.end()).isEqualTo(mondayMidnight);
        assertThat(WindowCalendar.windowAt(BudgetWindow.WEEK, BERLIN, lastOfSunday)).isEqualTo(week);
        assertThat(WindowCalendar.windowAt(BudgetWindow.WEEK, BERLIN, mondayMidnight).key()).isEqualTo("WEEK:2026-W48");
    }

    @Test
    void shouldMakeTheWeekOfAClockChange169HoursLong() {
        // Given / When
        CalendarWindow week = WindowCalendar.windowAt(BudgetWindow.WEEK, BERLIN, Instant.parse("2026-10-25T12:00:00Z"));

        // Then
        assertThat(week.key()).isEqualTo("WEEK:2026-W43");
        assertThat(week.length()).isEqualTo(Duration.ofHours(7 * 24 + 1));
    }

    @Test
    void shouldNameAWeekAcrossNewYearByItsIsoWeekYear() {
        // Given Friday 2027-01-01, in ISO week 53 of 2026
        Instant newYear = Instant.parse("2027-01-01T12:00:00Z");

        // When
        CalendarWindow week = WindowCalendar.windowAt(BudgetWindow.WEEK, UTC, newYear);

        // Then
        assertThat(week.key()).isEqualTo("WEEK:2026-W53");
        assertThat(week.start()).isEqualTo(Instant.parse("2026-12-28T00:00:00Z"));
        assertThat(week.end()).isEqualTo(Instant.parse("2027-01-04T00:00:00Z"));
    }

    @Test
    void shouldGiveFebruary29DaysInALeapYearAnd28Otherwise() {
        // Given / When
        CalendarWindow leap = WindowCalendar.windowAt(BudgetWindow.MONTH, UTC, Instant.parse("2028-02-29T23:59:59Z"));
        CalendarWindow common = WindowCalendar.windowAt(BudgetWindow.MONTH, UTC, Instant.parse("2026-02-14T00:00:00Z"));

        // Then
        assertThat(leap.key()).isEqualTo("MONTH:2028-02");
        assertThat(leap.length()).isEqualTo(Duration.ofDays(29));
        assertThat(leap.end()).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
        assertThat(common.length()).isEqualTo(Duration.ofDays(28));
    }

    @Test
    void shouldChangeMonthAtLocalMidnightOnTheFirst() {
        // Given the last millisecond of January in UTC, and 00:30 on 1 November in Berlin (23:30 UTC)
        Instant endOfJanuary = Instant.parse("2026-01-31T23:59:59.999Z");
        Instant novemberInBerlin = Instant.parse("2026-10-31T23:30:00Z");

        // When
        CalendarWindow january = WindowCalendar.windowAt(BudgetWindow.MONTH, UTC, endOfJanuary);
        CalendarWindow november = WindowCalendar.windowAt(BudgetWindow.MONTH, BERLIN, novemberInBerlin);

        // Then
        assertThat(january.key()).isEqualTo("MONTH:2026-01");
        assertThat(january.end()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        assertThat(november.key()).isEqualTo("MONTH:2026-11");
        assertThat(november.start()).isEqualTo(Instant.parse("2026-10-31T23:00:00Z"));
    }

    @Test
    void shouldGiveOctoberInBerlinItsExtraHour() {
        // Given / When
        CalendarWindow october = WindowCalendar.windowAt(BudgetWindow.MONTH, BERLIN, Instant.parse("2026-10-10T00:00:00Z"));

        // Then
        assertThat(october.length()).isEqualTo(Duration.ofHours(31 * 24 + 1));
    }

    @Test
    void shouldStartAnHourAtExactlyTheHour() {
        // Given the first instant of an hour
        Instant onTheHour = Instant.parse("2026-11-21T14:00:00Z");

        // When
        CalendarWindow hour = WindowCalendar.windowAt(BudgetWindow.HOUR, UTC, onTheHour);

        // Then
        assertThat(hour.start()).isEqualTo(onTheHour);
        assertThat(hour.key()).isEqualTo("HOUR:2026-11-21T14:00+00:00");
    }
}
