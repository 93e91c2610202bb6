package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentmediator.policy.BudgetWindow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** Ledgers written before the budget stores were split (v1 JSON) are read exactly, to be converted. */
class LegacyLedgerSerdeTest {

    /** What the v1 serde wrote for one open and one settled reservation (its documented format). */
    static final String V1 = "{\"v\":1,"
            + "\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\",\"start\":1795215600000,\"end\":1795302000000,"
            + "\"limitMicros\":50000000,\"spentMicros\":2500000,\"reservedMicros\":5000000}},"
            + "\"reservations\":{\"intent-1\":{\"estimateMicros\":5000000,\"windowKeys\":[\"DAY:2026-11-21\"],"
            + "\"status\":\"OPEN\",\"spentMicros\":0},"
            + "\"intent-0\":{\"estimateMicros\":2000000,\"windowKeys\":[\"DAY:2026-11-21\"],"
            + "\"status\":\"SETTLED\",\"spentMicros\":2500000}}}";

    private final LegacyLedgerSerde serde = new LegacyLedgerSerde();

    @Test
    void shouldReadTheBalancesAndOnlyTheOpenReservations() {
        // Given / When
        LegacyLedger ledger = read(V1);

        // Then the settled one lives on in the day's spending; the open one is kept to be released or settled
        assertThat(ledger.windows()).containsOnlyKeys("DAY:2026-11-21");
        assertThat(ledger.windows().get("DAY:2026-11-21")).isEqualTo(new WindowBalance(BudgetWindow.DAY,
                Instant.ofEpochMilli(1795215600000L), Instant.ofEpochMilli(1795302000000L), 50_000_000, 2_500_000, 5_000_000));
        assertThat(ledger.openReservations()).containsExactly(new Reservation("intent-1", 5_000_000, java.util.List.of("DAY:2026-11-21"), null));
    }

    @Test
    void shouldIgnoreFieldsALaterVersionAdds() {
        // Given a v1 document with extra fields at every level
        String json = "{\"v\":1,\"scope\":\"agent\",\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\","
                + "\"start\":1795215600000,\"end\":1795302000000,\"limitMicros\":50000000,\"spentMicros\":1,"
                + "\"reservedMicros\":2,\"currency\":\"EUR\"}},\"reservations\":{\"i\":{\"estimateMicros\":2,"
                + "\"windowKeys\":[\"DAY:2026-11-21\"],\"status\":\"OPEN\",\"spentMicros\":0,\"reservedAt\":5}}}";

        // When / Then
        assertThat(read(json).windows().get("DAY:2026-11-21").usedMicros()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAFormatVersionItDoesNotKnow() {
        assertThatThrownBy(() -> read("{\"v\":3,\"windows\":{},\"reservations\":{}}"))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("v3");
    }

    @Test
    void shouldRefuseAMissingFieldRatherThanReadItAsZero() {
        String json = "{\"v\":1,\"windows\":{\"DAY:2026-11-21\":{\"window\":\"DAY\",\"start\":1795215600000,"
                + "\"end\":1795302000000,\"limitMicros\":50000000,\"reservedMicros\":2}},\"reservations\":{}}";

        assertThatThrownBy(() -> read(json)).isInstanceOf(SerializationException.class);
    }

    @Test
    void shouldNeverWriteTheOldFormatAgain() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThatThrownBy(() -> serde.serializer().serialize("t", read(V1))).isInstanceOf(SerializationException.class);
    }

    private LegacyLedger read(String json) {
        return serde.deserializer().deserialize("t", json.getBytes(StandardCharsets.UTF_8));
    }
}
