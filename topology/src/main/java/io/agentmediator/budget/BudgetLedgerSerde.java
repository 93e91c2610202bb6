package io.agentmediator.budget;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.agentmediator.policy.BudgetWindow;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Stores a {@link BudgetLedger} in a changelogged key-value store as small, readable JSON:
 *
 * <pre>{@code
 * {"v":1,
 *  "windows":{"DAY:2026-11-21":{"window":"DAY","start":1795215600000,"end":1795302000000,
 *                               "limitMicros":50000000,"spentMicros":0,"reservedMicros":5000000}},
 *  "reservations":{"intent-1":{"estimateMicros":5000000,"windowKeys":["DAY:2026-11-21"],
 *                              "status":"OPEN","spentMicros":0}}}
 * }</pre>
 *
 * <p>Instants are epoch milliseconds (that day is in Europe/Berlin). Fields a later version adds are
 * ignored when read, so a rollback keeps working; {@code v} changes only for a change that cannot be
 * read that way, and a version this code does not know is refused rather than misread. A missing field
 * is an error, never a silent zero: a budget read wrong could let money be spent twice.
 */
public final class BudgetLedgerSerde implements Serde<BudgetLedger> {

    static final int VERSION = 1;

    // Field names here are intent ids and window keys, new on nearly every read: interning them
    // (Jackson's default) made a ledger read allocate hundreds of kilobytes.
    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    @Override
    public Serializer<BudgetLedger> serializer() {
        return (topic, ledger) -> ledger == null ? null : write(ledger);
    }

    @Override
    public Deserializer<BudgetLedger> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    private static byte[] write(BudgetLedger ledger) {
        Map<String, WindowJson> windows = new LinkedHashMap<>();
        ledger.windows().forEach((key, balance) -> windows.put(key, WindowJson.of(balance)));
        Map<String, ReservationJson> reservations = new LinkedHashMap<>();
        ledger.reservations().forEach((intentId, reservation) ->
                reservations.put(intentId, ReservationJson.of(reservation)));
        try {
            return MAPPER.writeValueAsBytes(new LedgerJson(VERSION, windows, reservations));
        } catch (JsonProcessingException e) {
            throw new SerializationException("cannot write a budget ledger", e);
        }
    }

    private static BudgetLedger read(byte[] bytes) {
        LedgerJson json;
        try {
            json = MAPPER.readValue(bytes, LedgerJson.class);
        } catch (IOException e) {
            throw new SerializationException("cannot read a budget ledger", e);
        }
        if (json.v() != VERSION) {
            throw new SerializationException("budget ledger format v" + json.v() + " is not known here (v" + VERSION + ")");
        }
        try {
            Map<String, WindowBalance> windows = new LinkedHashMap<>();
            json.windows().forEach((key, window) -> windows.put(key, window.toBalance()));
            Map<String, Reservation> reservations = new LinkedHashMap<>();
            json.reservations().forEach((intentId, reservation) ->
                    reservations.put(intentId, reservation.toReservation(intentId)));
            return new BudgetLedger(windows, reservations);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("a budget ledger with impossible values: " + e.getMessage(), e);
        }
    }

    private record LedgerJson(int v, Map<String, WindowJson> windows, Map<String, ReservationJson> reservations) {
    }

    private record WindowJson(BudgetWindow window, long start, long end, long limitMicros, long spentMicros,
                              long reservedMicros) {

        static WindowJson of(WindowBalance balance) {
            return new WindowJson(balance.window(), balance.start().toEpochMilli(), balance.end().toEpochMilli(),
                    balance.limitMicros(), balance.spentMicros(), balance.reservedMicros());
        }

        WindowBalance toBalance() {
            return new WindowBalance(window, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), limitMicros,
                    spentMicros, reservedMicros);
        }
    }

    private record ReservationJson(long estimateMicros, List<String> windowKeys, ReservationStatus status,
                                   long spentMicros) {

        static ReservationJson of(Reservation reservation) {
            return new ReservationJson(reservation.estimateMicros(), reservation.windowKeys(), reservation.status(),
                    reservation.spentMicros());
        }

        Reservation toReservation(String intentId) {
            return new Reservation(intentId, estimateMicros, windowKeys, status, spentMicros);
        }
    }
}
