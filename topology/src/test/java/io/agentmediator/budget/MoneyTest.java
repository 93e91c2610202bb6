package io.agentmediator.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void shouldWriteWholeAmountsWithCentsAndThousandsSeparators() {
        assertThat(Money.format(5_000_000_000L)).isEqualTo("5,000.00");
        assertThat(Money.format(0)).isEqualTo("0.00");
        assertThat(Money.format(1_234_567_890_000L)).isEqualTo("1,234,567.89");
        assertThat(Money.format(999_000_000L)).isEqualTo("999.00");
    }

    @Test
    void shouldKeepDigitsFinerThanACent() {
        assertThat(Money.format(2_000)).isEqualTo("0.002");
        assertThat(Money.format(1)).isEqualTo("0.000001");
        assertThat(Money.format(2_049_924_815L)).isEqualTo("2,049.924815");
        assertThat(Money.format(10_500_000)).isEqualTo("10.50");
    }

    @Test
    void shouldWriteNegativeAndExtremeAmounts() {
        assertThat(Money.format(-1_500_000)).isEqualTo("-1.50");
        assertThat(Money.format(-1)).isEqualTo("-0.000001");
        assertThat(Money.format(Long.MAX_VALUE)).isEqualTo("9,223,372,036,854.775807");
        assertThat(Money.format(Long.MIN_VALUE)).isEqualTo("-9,223,372,036,854.775808");
    }

    @Test
    void shouldAgreeWithDecimalArithmeticOnRandomAmounts() {
        SplittableRandom random = new SplittableRandom(20261121);
        for (int i = 0; i < 10_000; i++) {
            long micros = random.nextLong();
            BigDecimal amount = BigDecimal.valueOf(micros).movePointLeft(6).stripTrailingZeros();
            String expected = String.format(Locale.ROOT, "%,." + Math.max(2, amount.scale()) + "f", amount);
            assertThat(Money.format(micros)).as("%d", micros).isEqualTo(expected);
        }
    }
}
