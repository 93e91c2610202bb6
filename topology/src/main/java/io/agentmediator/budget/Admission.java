package io.agentmediator.budget;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/** The answer to {@link BudgetLedger#tryReserve}: admitted, over a budget, or a second reserve for one intent. */
public sealed interface Admission permits Admission.Admitted, Admission.Exceeded, Admission.AlreadyReserved {

    boolean admitted();

    /** The cost is reserved in these windows. */
    record Admitted(List<String> windowKeys) implements Admission {

        public Admitted {
            windowKeys = List.copyOf(windowKeys);
        }

        @Override
        public boolean admitted() {
            return true;
        }
    }

    /** The first window, in the policy's order, where {@code spent + reserved + cost} would pass the limit. */
    record Exceeded(CalendarWindow window, long limitMicros, long spentMicros, long reservedMicros, long costMicros)
            implements Admission {

        public Exceeded {
            Objects.requireNonNull(window, "window");
        }

        @Override
        public boolean admitted() {
            return false;
        }

        /** For the BUDGET_EXCEEDED reason, in currency units as people write them. */
        public String message() {
            return window.window() + " budget exceeded in " + window.key() + ": spent " + units(spentMicros)
                    + " + reserved " + units(reservedMicros) + " + cost " + units(costMicros)
                    + " > limit " + units(limitMicros);
        }

        private static String units(long micros) {
            BigDecimal amount = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
            return (amount.scale() < 2 ? amount.setScale(2) : amount).toPlainString();
        }
    }

    /**
     * The intent id already holds an open reservation here: in an agent's own scope, a retry decided longer
     * ago than the gate remembers ids; in a pool, most likely another agent's intent with the same id, since
     * ids are deduplicated only in each agent's partition. Never a grant: the intent would run uncharged,
     * and its release would free the other intent's reservation.
     *
     * @param owner the agent whose reservation it is, or null when that is not known (an agent's own scope,
     *              or a pool reservation written before owners were kept)
     */
    record AlreadyReserved(String intentId, String owner) implements Admission {

        @Override
        public boolean admitted() {
            return false;
        }

        /** For the refusal, naming the collision so the agent knows to send its intent under a new id. */
        public String message() {
            return "intent id " + intentId + " already holds a reservation here"
                    + (owner == null ? "" : ", for an intent of agent " + owner)
                    + "; intent ids must be unique, across agents too, so this intent is refused rather than run on another's charge";
        }
    }
}
