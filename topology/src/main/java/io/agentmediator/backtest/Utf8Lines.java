package io.agentmediator.backtest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a stream of bytes, each decoded as UTF-8 on its own: bytes that are not UTF-8 fail the line they are on,
 * where a reader decoding ahead in blocks would fail a line before it. Lines end as {@link java.io.BufferedReader}'s do:
 * at {@code \n}, {@code \r} or {@code \r\n}.
 */
final class Utf8Lines {

    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
    private int position;
    private int limit;
    /** The last line ended at a {@code \r}: a {@code \n} right after it ends nothing more. */
    private boolean afterCarriageReturn;

    Utf8Lines(InputStream in) {
        this.in = in;
    }

    /**
     * The next line without its end, or null after the last.
     *
     * @throws CharacterCodingException when the line's bytes are not UTF-8
     */
    String next() throws IOException {
        line.reset();
        boolean started = false;
        while (true) {
            if (position == limit && !fill()) {
                return started ? decoded() : null;
            }
            if (afterCarriageReturn) {
                afterCarriageReturn = false;
                if (buffer[position] == '\n') {
                    position++;
                    continue;
                }
            }
            started = true;
            int start = position;
            while (position < limit && buffer[position] != '\n' && buffer[position] != '\r') {
                position++;
            }
            line.write(buffer, start, position - start);
            if (position < limit) {
                afterCarriageReturn = buffer[position] == '\r';
                position++;
                return decoded();
            }
        }
    }

    private boolean fill() throws IOException {
        int read = in.read(buffer);
        if (read <= 0) {
            return false;
        }
        position = 0;
        limit = read;
        return true;
    }

    private String decoded() throws CharacterCodingException {
        return decoder.decode(ByteBuffer.wrap(line.toByteArray())).toString();
    }
}
