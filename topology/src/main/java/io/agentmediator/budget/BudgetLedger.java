package io.agentmediator.budget;

import io.agentmediator.policy.BudgetLimit;
import io.agentmediator.policy.BudgetWindow;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The budget state of one scope (an agent, or a shared pool) across its calendar windows, as a view
 * of a {@link BudgetBook}: each window's balance, and each open reservation with the windows it was
 * taken in, so that it is released or reconciled in exactly those windows.
 *
 * <p>An intent is admitted only if {@code spent + reserved + cost <= limit} in every window it falls in,
 * so reservations alone never pass a limit; only an actual cost above its estimate can. All amounts are
 * integer micro-units with overflow-checked arithmetic. Limits are read from the policy on every call,
 * so a policy change applies at once.
 *
 * <p>Changes are kept in the ledger until {@link #commit}: a decision that fails halfway writes
 * nothing, and one that succeeds writes at most one balance per window and one reservation. Reading
 * touches only the windows at hand and the one reservation, so deciding the millionth intent of a
 * scope costs what the first did.
 */
public final class BudgetLedger {

    private final String scope;
    private final BudgetBook book;
    /** The agent this ledger reserves and settles for in a shared scope; null in an agent's own. */
    private final String owner;
    private final Map<String, WindowBalance> changedBalances = new LinkedHashMap<>();
    /** Windows charged for the first time, to be filed for pruning. */
    private final Set<String> newWindows = new HashSet<>();
    /** Written reservations, and deleted ones as null. */
    private final Map<String, Reservation> changedReservations = new LinkedHashMap<>();
    /** Each changed window's balance as the book held it when first read (null: none), so an unchanged one is not written back. */
    private final Map<String, WindowBalance> booked = new HashMap<>();
    /** Reservations taken by this ledger and not yet committed: released again, they leave nothing to delete in the book. */
    private final Set<String> reservedHere = new HashSet<>();

    /** A ledger of its own, in memory: nothing spent, nothing reserved. */
    public BudgetLedger() {
        this("", new MapBudgetBook());
    }

    /** The ledger of an agent's own budgets, {@code scope} being the agent. */
    public BudgetLedger(String scope, BudgetBook book) {
        this(scope, book, null);
    }

    /**
     * The ledger of a scope agents share (a pool), acting for {@code owner}: what it reserves is the owner's,
     * and it settles or releases only what the owner reserved, since another agent may use the same intent id.
     */
    public BudgetLedger(String scope, BudgetBook book, String owner) {
        this.scope = Objects.requireNonNull(scope, "scope");
        this.book = Objects.requireNonNull(book, "book");
        this.owner = owner;
    }

    /**
     * Reserves {@code costMicros} for the intent in every window of {@code limits} that {@code at} falls in,
     * if all of them have room; otherwise changes nothing. A zero cost needs room too: a window an actual
     * cost has already taken past its limit admits nothing more, as an estimate of 0 may still be reported
     * as a real cost. Admitted, it is recorded like any other, so that cost is charged to the right windows.
     */
    public Admission tryReserve(String intentId, long costMicros, Instant at, List<BudgetLimit> limits, ZoneId zone) {
        Objects.requireNonNull(intentId, "intentId");
        requireAmount(costMicros);
        Optional<Reservation> taken = reservation(intentId);
        if (taken.isPresent()) {
            return new Admission.AlreadyReserved(intentId, taken.get().owner());
        }
        List<CalendarWindow> windows = windowsAt(at, limits, zone);
        List<Charged> charged = new ArrayList<>();
        List<WindowBalance> balances = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            Charged inUse = charged(windows.get(i), zone, this::balance);
            WindowBalance balance = orEmpty(inUse.stored(), windows.get(i), limits.get(i).limitMicros());
            // Compared as headroom so that no cost, however large, can overflow the sum.
            if (costMicros > limits.get(i).limitMicros() - balance.usedMicros()) {
                return new Admission.Exceeded(windows.get(i), limits.get(i).limitMicros(), balance.spentMicros(),
                        balance.reservedMicros(), costMicros);
            }
            charged.add(inUse);
            balances.add(balance);
        }
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            Charged inUse = charged.get(i);
            if (inUse.stored() == null) {
                newWindows.add(inUse.key());
            }
            changedBalances.put(inUse.key(), balances.get(i).reserve(costMicros, limits.get(i).limitMicros()));
            keys.add(inUse.key());
        }
        changedReservations.put(intentId, new Reservation(intentId, costMicros, keys, owner));
        reservedHere.add(intentId);
        return new Admission.Admitted(keys);
    }

    /** Rejected, expired, failed or compensated: the reservation stops counting in its windows. */
    public Settlement release(String intentId) {
        return close(intentId, (balance, reservation) -> balance.unreserve(reservation.estimateMicros()));
    }

    /**
     * Completed with a reported cost: the reservation becomes {@code actualMicros} spent in its original
     * windows. The actual may exceed the estimate; it is recorded anyway, since it was really spent.
     */
    public Settlement reconcile(String intentId, long actualMicros) {
        requireAmount(actualMicros);
        return close(intentId, (balance, reservation) -> balance.settle(reservation.estimateMicros(), actualMicros));
    }

    /** Completed without a reported cost: the estimate is what was spent. */
    public Settlement commitEstimate(String intentId) {
        return close(intentId, (balance, reservation) -> balance.settle(reservation.estimateMicros(), reservation.estimateMicros()));
    }

    /** The windows of {@code limits} that {@code at} falls in, with how much of each is used. Changes nothing. */
    public List<WindowUsage> usage(Instant at, List<BudgetLimit> limits, ZoneId zone) {
        return usage(this::balance, at, limits, zone);
    }

    /** The same as {@link #usage(Instant, List, ZoneId)} for a scope read straight from its stores. */
    public static List<WindowUsage> usage(BudgetReader reader, String scope, Instant at, List<BudgetLimit> limits, ZoneId zone) {
        return usage(key -> reader.balance(scope, key), at, limits, zone);
    }

    /** The intent's open reservation here, if it holds one. */
    public Optional<Reservation> reservation(String intentId) {
        if (changedReservations.containsKey(intentId)) {
            return Optional.ofNullable(changedReservations.get(intentId));
        }
        return Optional.ofNullable(book.reservation(scope, intentId));
    }

    /** The balance of one window as this ledger sees it, or null when nothing was charged to it. */
    public WindowBalance balance(String windowKey) {
        WindowBalance changed = changedBalances.get(windowKey);
        if (changed != null) {
            return changed;
        }
        WindowBalance stored = book.balance(scope, windowKey);
        booked.put(windowKey, stored);
        return stored;
    }

    /**
     * Writes what changed to the book, once, and forgets it here. A balance that ends as the book holds it
     * (an intent reserved, then rejected by a rule, in the same decision) is not written again: every write
     * is a changelog record the commit waits for, and this one would say nothing new.
     */
    public void commit() {
        changedBalances.forEach((key, balance) -> {
            if (balance.equals(booked.get(key))) {
                return;
            }
            book.putBalance(scope, key, balance);
            if (newWindows.contains(key)) {
                book.fileWindow(scope, key, balance.forgettableAfter());
            }
        });
        changedReservations.forEach((intentId, reservation) -> {
            if (reservation == null) {
                book.deleteReservation(scope, intentId);
            } else {
                book.putReservation(scope, reservation);
            }
        });
        changedBalances.clear();
        newWindows.clear();
        changedReservations.clear();
        booked.clear();
        reservedHere.clear();
    }

    private Settlement close(String intentId, Closing closing) {
        Optional<Reservation> open = reservation(intentId).filter(reservation -> reservation.closableBy(owner));
        if (open.isEmpty()) {
            return Settlement.NO_RESERVATION;
        }
        for (String key : open.get().windowKeys()) {
            WindowBalance balance = balance(key);
            // A window pruned while the reservation was open (past its grace) has nothing left to correct.
            if (balance != null) {
                changedBalances.put(key, closing.apply(balance, open.get()));
            }
        }
        if (reservedHere.remove(intentId)) {
            // Taken and let go before any commit: the book never held it, so there is nothing to delete.
            changedReservations.remove(intentId);
        } else {
            changedReservations.put(intentId, null);
        }
        return Settlement.APPLIED;
    }

    private static WindowBalance orEmpty(WindowBalance stored, CalendarWindow window, long limitMicros) {
        return stored == null ? WindowBalance.empty(window, limitMicros) : stored;
    }

    /**
     * The key the window is charged under, with its balance (null: none yet): its own; or, for an HOUR an earlier version
     * charged under its former key ({@link WindowCalendar#formerKey}) with nothing charged under its own yet, the former
     * one, for the rest of that hour, so that an upgrade does not open a second balance for the hour in progress. One read
     * when the window has a balance under its own key, as every window but the first of each hour has.
     */
    private static Charged charged(CalendarWindow window, ZoneId zone, Function<String, WindowBalance> stored) {
        WindowBalance own = stored.apply(window.key());
        if (own != null) {
            return new Charged(window.key(), own);
        }
        Optional<String> former = WindowCalendar.formerKey(window, zone);
        WindowBalance earlier = former.map(stored).orElse(null);
        return earlier == null ? new Charged(window.key(), null) : new Charged(former.get(), earlier);
    }

    private record Charged(String key, WindowBalance stored) {}

    private static List<WindowUsage> usage(Function<String, WindowBalance> stored, Instant at, List<BudgetLimit> limits, ZoneId zone) {
        List<CalendarWindow> current = windowsAt(at, limits, zone);
        List<WindowUsage> usage = new ArrayList<>();
        for (int i = 0; i < limits.size(); i++) {
            BudgetLimit limit = limits.get(i);
            WindowBalance balance = orEmpty(charged(current.get(i), zone, stored).stored(), current.get(i), limit.limitMicros());
            usage.add(new WindowUsage(current.get(i), limit.limitMicros(), balance.spentMicros(), balance.reservedMicros(),
                    limit.warnAt()));
        }
        return List.copyOf(usage);
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

    @FunctionalInterface
    private interface Closing {
        WindowBalance apply(WindowBalance balance, Reservation reservation);
    }
}
