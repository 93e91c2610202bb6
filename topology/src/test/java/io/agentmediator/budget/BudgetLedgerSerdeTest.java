package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The ledger goes into a changelogged store: it must come back exactly, and survive a format that grows. */
class BudgetLedgerSerdeTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final Instant NOON = Instant.parse("2026-11-21T11:00:00Z");
    private static final List<BudgetLimit> LIMITS = List.of(
            new BudgetLimit(BudgetWindow.HOUR, 5_000_000, null),
            new BudgetLimit(BudgetWindow.DAY, 50_000_000, 0.8),
            new BudgetLimit(BudgetWindow.WEEK, 200_000_000, null),
            new BudgetLimit(BudgetWindow.MONTH, 900_000_000, null));

    private final BudgetLedgerSerde serde = new BudgetLedgerSerde();

    @Test
    void shouldRoundTripALedgerExactly() {
        // Given open, settled and released reservations across all kinds of window
        BudgetLedger ledger = new BudgetLedger();
        ledger.tryReserve("open", 1_000_000, NOON, LIMITS, BERLIN);
        ledger.tryReserve("settled", 2_000_000, NOON, LIMITS, BERLIN);
        ledger.reconcile("settled", 2_500_001);
        ledger.tryReserve("released", 3_000_000, NOON.plusSeconds(3_600), LIMITS, BERLIN);
        ledger.release("released");
        ledger.tryReserve("free", 0, NOON, List.of(), BERLIN);

        // When
        BudgetLedger back = roundTrip(ledger);

        // Then
        assertThat(back).isEqualTo(ledger);
        assertThat(back.usage(NOON, LIMITS, BERLIN)).isEqualTo(ledger.usage(NOON, LIMITS, BERLIN));
        assertThat(serde.serializer().serialize("t", back)).isEqualTo(serde.serializer().serialize("t", ledger));
    }

    @Test
    void shouldWriteTheDocumentedFormat() {
        // Given
        BudgetLedger ledger = new BudgetLedger();
        ledger.tryReserve("intent-1", 5_000_000, NOON, List.of(LIMITS.get(1)), BERLIN);

        // When
        String json = new String(serde.serializer().serialize("t", ledger), StandardCharsets.UTF_8);

        // Then
        assertThat(json).isEqualTo("{\"v\":1,"
                + "\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\",\"start\":1795215600000,\"end\":1795302000000,"
                + "\"limitMicros\":50000000,\"spentMicros\":0,\"reservedMicros\":5000000}},"
                + "\"reservations\":{\"intent-1\":{\"estimateMicros\":5000000,\"windowKeys\":[\"DAY:2026-11-21\"],"
                + "\"status\":\"OPEN\",\"spentMicros\":0}}}");
    }

    @Test
    void shouldWriteEqualLedgersAsEqualBytesWhateverTheOrderOfEvents() {
        // Given the same two reservations made in opposite orders
        BudgetLedger first = new BudgetLedger();
        first.tryReserve("a", 1, NOON, LIMITS, BERLIN);
        first.tryReserve("b", 2, NOON.minusSeconds(86_400), LIMITS, BERLIN);
        BudgetLedger second = new BudgetLedger();
        second.tryReserve("b", 2, NOON.minusSeconds(86_400), LIMITS, BERLIN);
        second.tryReserve("a", 1, NOON, LIMITS, BERLIN);

        // When / Then
        assertThat(serde.serializer().serialize("t", first)).isEqualTo(serde.serializer().serialize("t", second));
    }

    @Test
    void shouldIgnoreFieldsALaterVersionAdds() {
        // Given a v1 document with extra fields at every level
        String json = "{\"v\":1,\"scope\":\"agent\",\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\","
                + "\"start\":1795215600000,\"end\":1795302000000,\"limitMicros\":50000000,\"spentMicros\":1,"
                + "\"reservedMicros\":2,\"currency\":\"EUR\"}},\"reservations\":{\"i\":{\"estimateMicros\":2,"
                + "\"windowKeys\":[\"DAY:2026-11-21\"],\"status\":\"OPEN\",\"spentMicros\":0,\"reservedAt\":5}}}";

        // When
        BudgetLedger ledger = read(json);

        // Then
        assertThat(ledger.windows().get("DAY:2026-11-21").usedMicros()).isEqualTo(3);
        assertThat(ledger.reservation("i")).hasValueSatisfying(open -> assertThat(open.estimateMicros()).isEqualTo(2));
    }

    @Test
    void shouldRefuseAFormatVersionItDoesNotKnow() {
        // Given / When / Then
        assertThatThrownBy(() -> read("{\"v\":2,\"windows\":{},\"reservations\":{}}"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("v2");
    }

    @Test
    void shouldRefuseAMissingFieldRatherThanReadItAsZero() {
        // Given a window without its spending
        String json = "{\"v\":1,\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\",\"start\":1795215600000,"
                + "\"end\":1795302000000,\"limitMicros\":50000000,\"reservedMicros\":2}},\"reservations\":{}}";

        // When / Then
        assertThatThrownBy(() -> read(json)).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldRefuseImpossibleAmounts() {
        // Given / When / Then
        assertThatThrownBy(() -> read("{\"v\":1,\"windows\":{},\"reservations\":{\"i\":{\"estimateMicros\":-2,"
                + "\"windowKeys\":[],\"status\":\"OPEN\",\"spentMicros\":0}}}"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void shouldPassATombstoneThrough() {
        // Given / When / Then
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    private BudgetLedger roundTrip(BudgetLedger ledger) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", ledger));
    }

    private BudgetLedger read(String json) {
        return serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }
}
