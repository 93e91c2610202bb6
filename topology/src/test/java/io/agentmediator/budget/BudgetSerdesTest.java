package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.limits.InputLimits;
import io.agentmediator.policy.BudgetWindow;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Balances and reservations go into changelogged stores on every intent: exact, small, and never misread. */
class BudgetSerdesTest {

    private static final WindowBalance BALANCE = new WindowBalance(BudgetWindow.MONTH, Instant.parse("2026-10-31T23:00:00Z"),
            Instant.parse("2026-11-30T23:00:00Z"), 900_000_000, 1_000_000_000_000_000L, 7);

    @Test
    void shouldRoundTripABalanceInAFixedFortyTwoBytes() {
        byte[] bytes = BudgetSerdes.balances().serializer().serialize("t", BALANCE);

        assertThat(bytes).hasSize(42);
        assertThat(BudgetSerdes.balances().deserializer().deserialize("t", bytes)).isEqualTo(BALANCE);
    }

    @Test
    void shouldRoundTripAReservationWithItsWindowsButNotItsIdWhichIsTheKeys() {
        Reservation reservation = new Reservation("intent-1", 5_000_000,
                List.of("HOUR:2026-11-21T12:00+01:00", "DAY:2026-11-21", "WEEK:2026-W47", "MONTH:2026-11"), null);

        byte[] bytes = BudgetSerdes.reservations().serializer().serialize("t", reservation);
        Reservation back = BudgetSerdes.reservations().deserializer().deserialize("t", bytes);

        assertThat(bytes.length).isLessThan(100);
        assertThat(back.estimateMicros()).isEqualTo(5_000_000);
        assertThat(back.windowKeys()).isEqualTo(reservation.windowKeys());
    }

    @Test
    void shouldRoundTripTheLongestOwnerAnIdLimitAllowsInCharactersOfThreeBytes() {
        String owner = "\u20AC".repeat(InputLimits.ID_MAX_CHARS_CEILING);
        Reservation owned = new Reservation("intent-1", 5_000_000, List.of("DAY:2026-11-21"), owner);

        byte[] bytes = BudgetSerdes.reservations().serializer().serialize("t", owned);

        assertThat(BudgetSerdes.reservations().deserializer().deserialize("t", bytes).owner()).isEqualTo(owner);
    }

    @Test
    void shouldKeepAPoolReservationsOwnerAndReadOneWrittenBeforeOwnersWereKeptAsOwnerless() {
        Reservation owned = new Reservation("intent-1", 5_000_000, List.of("DAY:2026-11-21"), "analyst-a");
        byte[] withOwner = BudgetSerdes.reservations().serializer().serialize("t", owned);
        // What the version before owners wrote for the same reservation, byte for byte
        byte[] before = ByteBuffer.allocate(1 + 8 + 1 + 2 + 14).put((byte) 2).putLong(5_000_000).put((byte) 1)
                .putShort((short) 14).put("DAY:2026-11-21".getBytes(StandardCharsets.UTF_8)).array();

        assertThat(BudgetSerdes.reservations().deserializer().deserialize("t", withOwner).owner()).isEqualTo("analyst-a");
        assertThat(BudgetSerdes.reservations().deserializer().deserialize("t", before))
                .isEqualTo(new Reservation("", 5_000_000, List.of("DAY:2026-11-21"), null));
        // The owner is a tail a version that does not know it never reaches: the rest is laid out as before
        assertThat(Arrays.copyOf(withOwner, before.length)).isEqualTo(before);
    }

    @Test
    void shouldRefuseAnUnknownVersionAndATruncatedValueRatherThanMisreadThem() {
        byte[] bytes = BudgetSerdes.balances().serializer().serialize("t", BALANCE);
        byte[] otherVersion = bytes.clone();
        otherVersion[0] = 9;

        assertThatThrownBy(() -> BudgetSerdes.balances().deserializer().deserialize("t", otherVersion))
                .isInstanceOf(SerializationException.class).hasMessageContaining("v9");
        assertThatThrownBy(() -> BudgetSerdes.balances().deserializer().deserialize("t", Arrays.copyOf(bytes, 20)))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> BudgetSerdes.reservations().deserializer().deserialize("t", new byte[] {BudgetSerdes.VERSION, 1}))
                .isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> BudgetSerdes.balances().deserializer().deserialize("t", new byte[0]))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldPassATombstoneThrough() {
        assertThat(BudgetSerdes.balances().serializer().serialize("t", null)).isNull();
        assertThat(BudgetSerdes.reservations().deserializer().deserialize("t", null)).isNull();
    }
}
