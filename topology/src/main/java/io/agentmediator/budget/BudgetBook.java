package io.agentmediator.budget;

import java.time.Instant;

/**
 * Where {@link BudgetLedger} keeps balances and open reservations: a reservation is written when it is
 * taken and deleted when it is settled or released, its amount living on in its windows' balances.
 */
public interface BudgetBook extends BudgetReader {

    void putBalance(String scope, String windowKey, WindowBalance balance);

    /** Files a window charged for the first time, so housekeeping finds it once it may be forgotten. */
    void fileWindow(String scope, String windowKey, Instant forgettableAfter);

    void putReservation(String scope, Reservation reservation);

    void deleteReservation(String scope, String intentId);
}
