package io.agentmediator.gate.check;

import java.math.BigDecimal;

/**
 * Micro-units written as people read money: 5000000000 is 5,000.00, and amounts finer than a
 * cent keep their digits (2000 is 0.002), so a message never says a cost of 0.00.
 */
public final class Money {

    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private Money() {}

    public static String format(long micros) {
        BigDecimal amount = BigDecimal.valueOf(micros).divide(MICROS).stripTrailingZeros();
        int decimals = Math.max(2, amount.scale());
        return String.format("%,." + decimals + "f", amount);
    }
}
