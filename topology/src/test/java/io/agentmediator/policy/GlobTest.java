package io.agentmediator.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void shouldMatchAnyRunOfCharactersWithAStar() {
        // Given
        Glob glob = Glob.compile("invoice.*");

        // When / Then
        assertThat(glob.matches("invoice.create")).isTrue();
        assertThat(glob.matches("invoice.")).isTrue();
        assertThat(glob.matches("invoice.batch.approve")).isTrue();
        assertThat(glob.matches("invoices.create")).isFalse();
        assertThat(glob.matches("invoice")).isFalse();
    }

    @Test
    void shouldMatchExactlyOneCharacterWithAQuestionMark() {
        // Given
        Glob glob = Glob.compile("room:?");

        // When / Then
        assertThat(glob.matches("room:1")).isTrue();
        assertThat(glob.matches("room:")).isFalse();
        assertThat(glob.matches("room:12")).isFalse();
    }

    @Test
    void shouldTakeEverythingElseLiterally() {
        // Given regex metacharacters, which a regex-based glob would have to escape
        Glob glob = Glob.compile("budget-line:(1)+[a].b$");

        // When / Then
        assertThat(glob.matches("budget-line:(1)+[a].b$")).isTrue();
        assertThat(glob.matches("budget-line:11a.b")).isFalse();
        assertThat(Glob.compile("a.b").matches("aXb")).isFalse();
    }

    @Test
    void shouldBeCaseSensitive() {
        // Given
        Glob glob = Glob.compile("llm:*");

        // When / Then
        assertThat(glob.matches("llm:large")).isTrue();
        assertThat(glob.matches("LLM:large")).isFalse();
    }

    @Test
    void shouldMatchTheWholeTextNotAPartOfIt() {
        // Given
        Glob glob = Glob.compile("erp");

        // When / Then
        assertThat(glob.matches("erp")).isTrue();
        assertThat(glob.matches("erp-test")).isFalse();
        assertThat(glob.matches("my-erp")).isFalse();
    }

    @Test
    void shouldTryLaterPositionsWhenAStarMatchedTooLittle() {
        // Given patterns whose first candidate for each star is wrong
        // When / Then
        assertThat(Glob.compile("*a*b").matches("xaxxab")).isTrue();
        assertThat(Glob.compile("a*b*c").matches("aXbYbZc")).isTrue();
        assertThat(Glob.compile("a*b*c").matches("aXbYbZ")).isFalse();
        assertThat(Glob.compile("*.*.*").matches("a.b")).isFalse();
        assertThat(Glob.compile("?*?").matches("ab")).isTrue();
        assertThat(Glob.compile("?*?").matches("a")).isFalse();
    }

    @Test
    void shouldHandleEmptyPatternsAndText() {
        // Given / When / Then
        assertThat(Glob.compile("*").matches("")).isTrue();
        assertThat(Glob.compile("**").matches("anything")).isTrue();
        assertThat(Glob.compile("").matches("")).isTrue();
        assertThat(Glob.compile("").matches("a")).isFalse();
        assertThat(Glob.compile("?").matches("")).isFalse();
    }

    @Test
    void shouldCountACharacterOutsideTheBasicPlaneAsOne() {
        // Given a pattern for one character, and an emoji that Java stores as two chars
        Glob glob = Glob.compile("tag:?");

        // When / Then
        assertThat(glob.matches("tag:\uD83D\uDE80")).isTrue();
    }

    @Test
    void shouldEqualAnotherGlobOfTheSamePattern() {
        // Given / When / Then
        assertThat(Glob.compile("room:*")).isEqualTo(Glob.compile("room:*")).hasToString("room:*");
        assertThat(Glob.compile("room:*")).isNotEqualTo(Glob.compile("room:?"));
    }
}
