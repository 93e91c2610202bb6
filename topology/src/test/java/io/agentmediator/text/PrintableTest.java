package io.agentmediator.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from records made safe to print: escaped, and cut with its length when asked. */
class PrintableTest {

    @Test
    void shouldEscapeLineBreaksAndInvisibleCharacters() {
        assertThat(Printable.escape("a\nb\u202ec")).isEqualTo("a\\u000ab\\u202ec");
    }

    @Test
    void shouldCutALongValueAndSayHowLongItWas() {
        assertThat(Printable.escape("abcdef", 3)).isEqualTo("abc…[6 chars]");
        assertThat(Printable.escape("abc", 3)).isEqualTo("abc");
    }

    @Test
    void shouldNeverCutACharacterInHalf() {
        assertThat(Printable.escape("ab\uD83D\uDE00cdef", 3)).isEqualTo("ab…[8 chars]");
        assertThat(Printable.escape("ab\uD83D\uDE00cdef", 4)).isEqualTo("ab\uD83D\uDE00…[8 chars]");
    }

    @Test
    void shouldShowEveryCharacterOutsidePrintableAsciiAsItsEscape() {
        assertThat(Printable.quoted("room:A\u030A \u00C5\t~", 20)).isEqualTo("\"room:A\\u030A \\u00C5\\u0009~\"");
    }

    @Test
    void shouldTellAnEscapeWrittenOutFromTheCharacterItNamesAndKeepQuotesInside() {
        assertThat(Printable.quoted("room:\\u00C5 \"a\"", 20)).isEqualTo("\"room:\\\\u00C5 \\\"a\\\"\"");
        assertThat(Printable.quoted("\uD83D\uDE00", 20)).isEqualTo("\"\\uD83D\\uDE00\"");
    }

    @Test
    void shouldShowTheStartOfALongValueQuotedAndSayHowLongItWasOutsideTheQuotes() {
        assertThat(Printable.quoted("\u00C5bcdef", 3)).isEqualTo("\"\\u00C5bc\"...[6 chars]");
        assertThat(Printable.quoted("ab\uD83D\uDE00cdef", 3)).isEqualTo("\"ab\"...[8 chars]");
    }
}
