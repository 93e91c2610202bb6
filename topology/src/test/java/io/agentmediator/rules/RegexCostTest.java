package io.agentmediator.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a pattern's text says of the program RE2J would compile it to, before it is compiled. */
class RegexCostTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "((a{1000}){100}){100}; 10000000",
            "(a{10}b{20}){30}; 600",
            "a{1000}b{1000}; 1000",
            "(a{2,500}){3,}; 2000",
            "((ab)*){999}; 999",
            "[(]{5}(x{7}); 7",
            "[]{)]{9}; 9",
            "[^]a-z]{3}; 3",
            "a\\{1000}; 1",
            "a{,5}; 1",
            "\\p{Greek}{4}; 4",
            "(?i:ab){3}; 3",
            "x{99999999999}; 100000",
            "^vendor[.](create|delete)$; 1",
            "x\\Q[\\E(a{1000}){1000}; 1000000",
            "\\Q(a{1000}){1000}\\E; 1",
            "(\\Q)\\E{1000}){1000}; 1000000",
            "\\Q((((; 1",
    })
    void shouldMultiplyTheCountsOfRepeatsNestedInOneAnother(String pattern, long nested) {
        assertThat(RegexCost.of(pattern).nestedRepeat()).isEqualTo(nested);
    }

    @Test
    void shouldCountARepeatsOperandOnceForEachCount() {
        // Given side-by-side repeats, none nested
        RegexCost cost = RegexCost.of("a{1000}".repeat(50));

        // Then
        assertThat(cost.nestedRepeat()).isEqualTo(1000);
        assertThat(cost.instructions()).isBetween(50_000L, 51_000L);
    }

    @Test
    void shouldNeverCountLessThanTheProgramRe2jCompiles() {
        // Given patterns RE2J compiles, of every construct the reading knows
        for (String pattern : new String[] {"^vendor[.](create|delete)$", "(a{10}b{20}){30}", "[a-z]{3}-[0-9]{4}", "((ab)*c?){50}",
                "(?i)x{100}|y{100}", "\\d{3}\\s+\\p{L}{2,8}"}) {
            // Then the reading's count is at least the compiled program's size, so a limit on it limits the program
            assertThat(RegexCost.of(pattern).instructions()).as(pattern).isGreaterThanOrEqualTo(Pattern.compile(pattern).programSize());
        }
    }

    @Test
    void shouldNeverCountLessThanRe2jForRandomPatternsOfEveryConstruct() {
        // Given 5,000 patterns built at random from atoms, classes, escapes, groups, alternations and quantifiers
        Random random = new Random(42);
        int compiled = 0;
        for (int n = 0; n < 5_000; n++) {
            String pattern = randomPattern(random, 3);
            Pattern program;
            try {
                program = Pattern.compile(pattern);
            } catch (com.google.re2j.PatternSyntaxException e) {
                continue;
            }
            compiled++;
            // Then, for each RE2J compiles, the reading counts at least its program and the nesting RE2J expands
            RegexCost cost = RegexCost.of(pattern);
            assertThat(cost.instructions()).as(pattern).isGreaterThanOrEqualTo(program.programSize());
        }
        assertThat(compiled).isGreaterThan(4_000);
    }

    private static String randomPattern(Random random, int depth) {
        StringBuilder pattern = new StringBuilder();
        for (int part = random.nextInt(4); part >= 0; part--) {
            String[] atoms = {"a", "[a-c]", "[^x]", "[]a]", "\\d", "\\p{L}", ".", "\\{", "[(]", "(?i)b", "\\Q[)(\\E", "\\Qab{3}\\E"};
            String atom = depth > 0 && random.nextInt(3) == 0
                    ? "(" + (random.nextBoolean() ? "?:" : "") + randomPattern(random, depth - 1)
                            + (random.nextBoolean() ? "|" + randomPattern(random, depth - 1) : "") + ")"
                    : atoms[random.nextInt(atoms.length)];
            String[] quantifiers = {"", "", "*", "+", "?", "{" + random.nextInt(12) + "}", "{" + random.nextInt(5) + "," + (5 + random.nextInt(8)) + "}",
                    "{" + random.nextInt(6) + ",}", "*?"};
            pattern.append(atom).append(quantifiers[random.nextInt(quantifiers.length)]);
        }
        return pattern.toString();
    }

    @Test
    void shouldSaturateRatherThanOverflow() {
        // Given repeats nested far past any limit
        RegexCost cost = RegexCost.of("(".repeat(40) + "a" + "){1000}".repeat(40));

        // Then the counts stay positive and over every limit
        assertThat(cost.nestedRepeat()).isPositive().isGreaterThan(RegexCost.MAX_NESTED_REPEAT);
        assertThat(cost.instructions()).isPositive().isGreaterThan(RuleLimits.MAX_SIZE_LIMIT);
    }
}
