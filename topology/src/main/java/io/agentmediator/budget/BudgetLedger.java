package io.agentmediator.budget;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The budget state of one scope (an agent, or a shared pool) across its calendar windows: what each
 * window has spent and reserved, and what each intent holds and where, so that an intent's reservation
 * is released or reconciled in exactly the windows it was taken in.
 *
 * <p>An intent is admitted only if {@code spent + reserved + cost <= limit} in every window it falls in,
 * so reservations alone never pass a limit; only an actual cost above its estimate can. All amounts are
 * integer micro-units with overflow-checked arithmetic. Limits are read from the policy on every call,
 * so a policy change applies at once. The ledger is a mutable value: the gate reads it from its store,
 * changes it and writes it back, calling {@link #prune} each time so the state stays bounded.
 */
public final class BudgetLedger {

    private final SortedMap<String, WindowBalance> windows;
    private final SortedMap<String, Reservation> reservations;

    /** An empty ledger: nothing spent, nothing reserved. */
    public BudgetLedger() {
        this(Map.of(), Map.of());
    }

    BudgetLedger(Map<String, WindowBalance> windows, Map<String, Reservation> reservations) {
        // Sorted so that equal ledgers serialize to equal bytes, whatever order they were built in.
        this.windows = new TreeMap<>(windows);
        this.reservations = new TreeMap<>(reservations);
    }

    /**
     * Reserves {@code costMicros} for the intent in every window of {@code limits} that {@code at} falls in,
     * if all of them have room; otherwise changes nothing. A zero cost, or no limits, is always admitted
     * (and still recorded, so an actual cost reported later is charged to the right windows).
     */
    public Admission tryReserve(String intentId, long costMicros, Instant at, List<BudgetLimit> limits, ZoneId zone) {
        Objects.requireNonNull(intentId, "intentId");
        requireAmount(costMicros);
        if (reservations.containsKey(intentId)) {
            return new Admission.AlreadyReserved(intentId);
        }
        List<CalendarWindow> charged = windowsAt(at, limits, zone);
        if (costMicros > 0) {
            Optional<Admission.Exceeded> shortfall = firstShortfall(costMicros, charged, limits);
            if (shortfall.isPresent()) {
                return shortfall.get();
            }
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            CalendarWindow window = charged.get(i);
            long limit = limits.get(i).limitMicros();
            WindowBalance balance = windows.getOrDefault(window.key(), WindowBalance.empty(window, limit));
            windows.put(window.key(), balance.reserve(costMicros, limit));
            keys.add(window.key());
        }
        reservations.put(intentId, Reservation.open(intentId, costMicros, keys));
        return new Admission.Admitted(keys);
    }

    /** Rejected, expired, failed or compensated: the reservation stops counting in its windows. */
    public Settlement release(String intentId) {
        return close(intentId, reservation -> {
            for (String key : reservation.windowKeys()) {
                windows.computeIfPresent(key, (k, balance) -> balance.unreserve(reservation.estimateMicros()));
            }
            return reservation.released();
        });
    }

    /**
     * Completed with a reported cost: the reservation becomes {@code actualMicros} spent in its original
     * windows. The actual may exceed the estimate; it is recorded anyway, since it was really spent.
     */
    public Settlement reconcile(String intentId, long actualMicros) {
        requireAmount(actualMicros);
        return close(intentId, reservation -> {
            for (String key : reservation.windowKeys()) {
                windows.computeIfPresent(key, (k, balance) -> balance.settle(reservation.estimateMicros(), actualMicros));
            }
            return reservation.settled(actualMicros);
        });
    }

    /** Completed without a reported cost: the estimate is what was spent. */
    public Settlement commitEstimate(String intentId) {
        return reservation(intentId)
                .map(reservation -> reconcile(intentId, reservation.estimateMicros()))
                .orElse(Settlement.NO_RESERVATION);
    }

    /** The windows of {@code limits} that {@code at} falls in, with how much of each is used. Changes nothing. */
    public List<WindowUsage> usage(Instant at, List<BudgetLimit> limits, ZoneId zone) {
        List<CalendarWindow> current = windowsAt(at, limits, zone);
        List<WindowUsage> usage = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            BudgetLimit limit = limits.get(i);
            CalendarWindow window = current.get(i);
            WindowBalance balance = windows.getOrDefault(window.key(), WindowBalance.empty(window, limit.limitMicros()));
            usage.add(new WindowUsage(window, limit.limitMicros(), balance.spentMicros(), balance.reservedMicros(),
                    limit.warnAt()));
        }
        return List.copyOf(usage);
    }

    /**
     * Forgets windows that ended more than their own length before {@code at}, unless an open reservation
     * still holds them, and closed reservations once none of their windows is left. Open reservations are
     * always kept, with their windows, so they can still be released or reconciled. Returns whether
     * anything was forgotten, so a caller knows whether to write the ledger back.
     */
    public boolean prune(Instant at) {
        int before = windows.size() + reservations.size();
        Set<String> held = new HashSet<>();
        reservations.values().stream().filter(Reservation::isOpen).forEach(open -> held.addAll(open.windowKeys()));
        windows.entrySet().removeIf(entry -> !held.contains(entry.getKey()) && entry.getValue().endedLongBefore(at));
        reservations.replaceAll((intentId, reservation) -> reservation.isOpen()
                ? reservation
                : reservation.withWindowKeys(reservation.windowKeys().stream().filter(windows::containsKey).toList()));
        reservations.values().removeIf(reservation -> !reservation.isOpen() && reservation.windowKeys().isEmpty());
        return windows.size() + reservations.size() != before;
    }

    /** What the intent holds or held here, if the ledger still remembers it. */
    public Optional<Reservation> reservation(String intentId) {
        return Optional.ofNullable(reservations.get(intentId));
    }

    /** True when nothing is left to remember: the gate can delete the scope's entry from its store. */
    public boolean isEmpty() {
        return windows.isEmpty() && reservations.isEmpty();
    }

    /** By window key. */
    Map<String, WindowBalance> windows() {
        return Collections.unmodifiableSortedMap(windows);
    }

    /** By intent id. */
    Map<String, Reservation> reservations() {
        return Collections.unmodifiableSortedMap(reservations);
    }

    private Optional<Admission.Exceeded> firstShortfall(long costMicros, List<CalendarWindow> charged,
                                                        List<BudgetLimit> limits) {
        for (int i = 0; i < limits.size(); i++) {
            CalendarWindow window = charged.get(i);
            long limit = limits.get(i).limitMicros();
            WindowBalance balance = windows.getOrDefault(window.key(), WindowBalance.empty(window, limit));
            // Compared as headroom so that no cost, however large, can overflow the sum.
            if (costMicros > limit - balance.usedMicros()) {
                return Optional.of(new Admission.Exceeded(window, limit, balance.spentMicros(), balance.reservedMicros(),
                        costMicros));
            }
        }
        return Optional.empty();
    }

    private Settlement close(String intentId, UnaryOperator<Reservation> closing) {
        Reservation reservation = reservations.get(intentId);
        if (reservation == null) {
            return Settlement.NO_RESERVATION;
        }
        if (!reservation.isOpen()) {
            return Settlement.ALREADY_CLOSED;
        }
        reservations.put(intentId, closing.apply(reservation));
        return Settlement.APPLIED;
    }

    private static List<CalendarWindow> windowsAt(Instant at, List<BudgetLimit> limits, ZoneId zone) {
        Set<BudgetWindow> seen = EnumSet.noneOf(BudgetWindow.class);
        List<CalendarWindow> current = new ArrayList<>();
        for (BudgetLimit limit : limits) {
            if (!seen.add(limit.window())) {
                // Two limits on one window would charge it twice; the policy parser already refuses them.
                throw new IllegalArgumentException("two budgets for the window " + limit.window());
            }
            current.add(WindowCalendar.windowAt(limit.window(), zone, at));
        }
        return current;
    }

    private static void requireAmount(long micros) {
        if (micros < 0) {
            throw new IllegalArgumentException("an amount cannot be negative: " + micros);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BudgetLedger ledger
                && windows.equals(ledger.windows) && reservations.equals(ledger.reservations);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windows, reservations);
    }

    @Override
    public String toString() {
        return "BudgetLedger{windows=" + windows + ", reservations=" + reservations + "}";
    }
}
