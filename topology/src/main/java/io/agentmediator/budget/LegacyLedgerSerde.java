package io.agentmediator.budget;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.agentmediator.policy.BudgetWindow;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Reads the budget ledgers that versions before the budget stores were split wrote (format v1): one
 * JSON value per scope holding every window and every reservation, open or closed, such as
 *
 * <pre>{@code
 * {"v":1,
 *  "windows":{"DAY:2026-11-21":{"window":"DAY","start":1795215600000,"end":1795302000000,
 *                               "limitMicros":50000000,"spentMicros":0,"reservedMicros":5000000}},
 *  "reservations":{"intent-1":{"estimateMicros":5000000,"windowKeys":["DAY:2026-11-21"],
 *                              "status":"OPEN","spentMicros":0}}}
 * }</pre>
 *
 * <p>Only read, to convert on first touch ({@link StoreBudgetBook}); never written again. A missing field
 * is an error, never a silent zero.
 */
public final class LegacyLedgerSerde implements Serde<LegacyLedger> {

    static final int VERSION = 1;

    // Field names here are intent ids and window keys: interning them (Jackson's default) costs much and saves nothing.
    private static final ObjectMapper MAPPER = JsonMapper.builder(
                    JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
            .build();

    @Override
    public Serializer<LegacyLedger> serializer() {
        return (topic, ledger) -> {
            if (ledger != null) {
                throw new SerializationException("v1 budget ledgers are converted, never written");
            }
            return null;
        };
    }

    @Override
    public Deserializer<LegacyLedger> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static LegacyLedger read(byte[] bytes) {
        LedgerJson json;
        try {
            json = MAPPER.readValue(bytes, LedgerJson.class);
        } catch (IOException e) {
            throw new SerializationException("cannot read a v1 budget ledger", e);
        }
        if (json.v() != VERSION) {
            throw new SerializationException("budget ledger format v" + json.v() + " is not known here (v" + VERSION + ")");
        }
        try {
            Map<String, WindowBalance> windows = new LinkedHashMap<>();
            json.windows().forEach((key, window) -> windows.put(key, window.toBalance()));
            List<Reservation> open = new ArrayList<>();
            json.reservations().forEach((intentId, reservation) -> {
                if ("OPEN".equals(reservation.status())) {
                    open.add(new Reservation(intentId, reservation.estimateMicros(), reservation.windowKeys(), null));
                }
            });
            return new LegacyLedger(windows, open);
        } catch (IllegalArgumentException e) {
            throw new SerializationException("a v1 budget ledger with impossible values: " + e.getMessage(), e);
        }
    }

    private record LedgerJson(int v, Map<String, WindowJson> windows, Map<String, ReservationJson> reservations) {
    }

    private record WindowJson(BudgetWindow window, long start, long end, long limitMicros, long spentMicros,
                              long reservedMicros) {

        WindowBalance toBalance() {
            return new WindowBalance(window, Instant.ofEpochMilli(start), Instant.ofEpochMilli(end), limitMicros,
                    spentMicros, reservedMicros);
        }
    }

    private record ReservationJson(long estimateMicros, List<String> windowKeys, String status, long spentMicros) {
    }
}
