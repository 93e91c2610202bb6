package io.agentmediator.budget;

/**
 * Micro-units written as people read money: 5000000000 is 5,000.00, and amounts finer than a
 * cent keep their digits (2000 is 0.002), so a message never says a cost of 0.00.
 *
 * <p>Plain integer arithmetic: this runs for nearly every decision, and formatting through
 * {@code String.format} and {@code BigDecimal} was a tenth of the gate's time.
 */
public final class Money {

    private static final long MICROS = 1_000_000L;

    private Money() {}

    public static String format(long micros) {
        StringBuilder text = new StringBuilder(24);
        if (micros < 0) {
            text.append('-');
        }
        // Long.MIN_VALUE has no positive counterpart; its digits are taken from the negative side.
        long whole = Math.abs(micros / MICROS);
        long fraction = Math.abs(micros % MICROS);
        String digits = Long.toString(whole);
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                text.append(',');
            }
            text.append(digits.charAt(i));
        }
        text.append('.');
        String decimals = Long.toString(fraction + MICROS).substring(1);
        int end = decimals.length();
        while (end > 2 && decimals.charAt(end - 1) == '0') {
            end--;
        }
        return text.append(decimals, 0, end).toString();
    }
}
