package io.agentmediator.backtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Utf8LinesTest {

    @Test
    void shouldEndLinesAsBufferedReaderDoes() throws IOException {
        assertThat(lines("a\nb\r\nc\rd")).containsExactly("a", "b", "c", "d");
        assertThat(lines("a\n\nb\n")).containsExactly("a", "", "b");
        assertThat(lines("a\r\r\nb\r")).containsExactly("a", "", "b");
        assertThat(lines("")).isEmpty();
        assertThat(lines("é ü 中\n")).containsExactly("é ü 中");
    }

    @Test
    void shouldReadLinesLongerThanItsBufferAndEndsAcrossIts() throws IOException {
        String longLine = "x".repeat(200_000);
        String crAtTheEdge = "y".repeat((1 << 16) - 1) + "\r\nz";
        assertThat(lines(longLine + "\n" + longLine)).containsExactly(longLine, longLine);
        assertThat(lines(crAtTheEdge)).containsExactly("y".repeat((1 << 16) - 1), "z");
    }

    @Test
    void shouldFailTheLineThatHoldsBytesThatAreNotUtf8() throws IOException {
        byte[] latin1 = ("ok\n" + "still ok\n" + "r\u00e9gl\u00e9e\n").getBytes(StandardCharsets.ISO_8859_1);
        Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(latin1));
        assertThat(lines.next()).isEqualTo("ok");
        assertThat(lines.next()).isEqualTo("still ok");
        assertThatThrownBy(lines::next).isInstanceOf(CharacterCodingException.class);
    }

    private static List<String> lines(String text) throws IOException {
        Utf8Lines lines = new Utf8Lines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        List<String> read = new ArrayList<>();
        for (String line = lines.next(); line != null; line = lines.next()) {
            read.add(line);
        }
        return read;
    }
}
