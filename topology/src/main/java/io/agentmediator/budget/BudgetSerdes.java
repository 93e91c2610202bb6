package io.agentmediator.budget;

import io.agentmediator.policy.BudgetWindow;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Fixed-layout binary values for the budget stores, read and written on every intent: a balance is
 * 42 bytes, a reservation 10 bytes plus its (at most four) window keys and, in a pool, its owner. The
 * first byte is the format version; a version this code does not know is refused rather than misread,
 * since a budget read wrong could let money be spent twice.
 *
 * <p>A reservation's owner is an optional tail of the v2 layout rather than a v3: values written before
 * owners were kept read as ownerless, and a version that does not know owners reads the rest and stops
 * before the tail, so both sides of a rolling upgrade (or a roll back) read what the other wrote.
 */
public final class BudgetSerdes {

    static final byte VERSION = 2;
    private static final BudgetWindow[] WINDOWS = BudgetWindow.values();

    private BudgetSerdes() {}

    public static Serde<WindowBalance> balances() {
        return Serdes.serdeFrom((topic, balance) -> balance == null ? null : write(balance),
                (topic, bytes) -> bytes == null ? null : readBalance(bytes));
    }

    public static Serde<Reservation> reservations() {
        return Serdes.serdeFrom((topic, reservation) -> reservation == null ? null : write(reservation),
                (topic, bytes) -> bytes == null ? null : readReservation(bytes));
    }

    static byte[] write(WindowBalance balance) {
        return ByteBuffer.allocate(42).put(VERSION).put((byte) balance.window().ordinal())
                .putLong(balance.start().toEpochMilli()).putLong(balance.end().toEpochMilli())
                .putLong(balance.limitMicros()).putLong(balance.spentMicros()).putLong(balance.reservedMicros()).array();
    }

    static WindowBalance readBalance(byte[] bytes) {
        ByteBuffer in = versioned(bytes, "balance");
        try {
            int window = in.get();
            if (window < 0 || window >= WINDOWS.length) {
                throw new SerializationException("a budget balance with an unknown window " + window);
            }
            return new WindowBalance(WINDOWS[window], Instant.ofEpochMilli(in.getLong()), Instant.ofEpochMilli(in.getLong()),
                    in.getLong(), in.getLong(), in.getLong());
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new SerializationException("a budget balance cannot be read: " + e, e);
        }
    }

    static byte[] write(Reservation reservation) {
        List<byte[]> keys = reservation.windowKeys().stream().map(key -> key.getBytes(StandardCharsets.UTF_8)).toList();
        byte[] owner = reservation.owner() == null ? null : reservation.owner().getBytes(StandardCharsets.UTF_8);
        int size = 1 + 8 + 1 + keys.stream().mapToInt(key -> 2 + key.length).sum() + (owner == null ? 0 : 2 + owner.length);
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION).putLong(reservation.estimateMicros()).put((byte) keys.size());
        for (byte[] key : keys) {
            out.putShort((short) key.length).put(key);
        }
        if (owner != null) {
            out.putShort((short) owner.length).put(owner);
        }
        return out.array();
    }

    /** The intent id is the store key's, not repeated in the value; {@link StoreBudgetBook} puts it back. */
    static Reservation readReservation(byte[] bytes) {
        ByteBuffer in = versioned(bytes, "reservation");
        try {
            long estimate = in.getLong();
            int count = in.get();
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(text(in));
            }
            return new Reservation("", estimate, keys, in.hasRemaining() ? text(in) : null);
        } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new SerializationException("a budget reservation cannot be read: " + e, e);
        }
    }

    private static String text(ByteBuffer in) {
        byte[] bytes = new byte[in.getShort()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer versioned(byte[] bytes, String what) {
        if (bytes.length == 0 || bytes[0] != VERSION) {
            throw new SerializationException("budget " + what + " format v" + (bytes.length == 0 ? "(empty)" : bytes[0])
                    + " is not known here (v" + VERSION + ")");
        }
        return ByteBuffer.wrap(bytes, 1, bytes.length - 1);
    }
}
