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
     * The intent already has a reservation (open or closed). Deduplication is the gate's job; this is the
     * ledger refusing to count an intent twice if a duplicate ever got through.
     */
    record AlreadyReserved(String intentId) implements Admission {

        @Override
        public boolean admitted() {
            return false;
        }
    }
}
