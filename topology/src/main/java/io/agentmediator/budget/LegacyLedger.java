package io.agentmediator.budget;

import java.util.List;
import java.util.Map;

/**
 * A v1 budget ledger as read, to be converted: its windows' balances by window key and its open
 * reservations (closed ones are already counted in the balances and are dropped).
 */
public record LegacyLedger(Map<String, WindowBalance> windows, List<Reservation> openReservations) {

    public LegacyLedger {
        windows = Map.copyOf(windows);
        openReservations = List.copyOf(openReservations);
    }
}
