package io.agentmediator.backtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a stream of bytes, each decoded as UTF-8 on its own: bytes that are not UTF-8 fail the line they are on,
 * where a reader decoding ahead in blocks would fail a line before it.
 */
final class Utf8Lines {

    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * The next line without its {@code \n}, or null after the last.
     *
     * @throws CharacterCodingException when the line's bytes are not UTF-8
     */
    String next() throws IOException {
        line.reset();
        int b = in.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            line.write(b);
            b = in.read();
        }
        return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(line.toByteArray())).toString();
    }
}
