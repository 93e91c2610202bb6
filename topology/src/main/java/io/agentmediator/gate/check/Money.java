package io.agentmediator.gate.check;

import java.math.BigDecimal;

/** Micro-units written as people read money: 5000000000 is 5,000.00. */
public final class Money {

    private static final BigDecimal MICROS = BigDecimal.valueOf(1_000_000);

    private Money() {}

    public static String format(long micros) {
        return String.format("%,.2f", BigDecimal.valueOf(micros).divide(MICROS));
    }
}
