package io.agentmediator.backtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * Reads a backtest file (JSON lines) one event at a time, so a file of any size fits in memory.
 *
 * <p>Blank lines and lines starting with {@code #} are skipped. Events must be in time order:
 * {@code at} may repeat but never go back, because the order of the file is the order the
 * mediator sees, and a clock that jumps back would make a backtest decide differently from the
 * stream it imitates. The first line that cannot be read stops the reading with a
 * {@link BacktestInputException} naming it.
 */
public final class EventFileReader {

    private static final String COMMENT = "#";
    private static final String BYTE_ORDER_MARK = "\uFEFF";

    private EventFileReader() {}

    /** Hands every event of {@code file} to {@code events}, in file order. */
    public static void read(Path file, Consumer<? super BacktestEvent> events) throws IOException {
        try (InputStream bytes = Files.newInputStream(file)) {
            read(new Utf8Lines(bytes)::next, events);
        }
    }

    /** Hands every event of {@code lines} to {@code events}, in order. */
    public static void read(BufferedReader lines, Consumer<? super BacktestEvent> events) throws IOException {
        read(lines::readLine, events);
    }

    /** Where lines come from: the next one, or null after the last. */
    @FunctionalInterface
    private interface Lines {
        String next() throws IOException;
    }

    private static void read(Lines lines, Consumer<? super BacktestEvent> events) throws IOException {
        int number = 0;
        BacktestEvent previous = null;
        for (String text = next(lines, number + 1); text != null; text = next(lines, number + 1)) {
            number++;
            // Some editors start a UTF-8 file with a byte order mark; it is not part of the JSON.
            String trimmed = (number == 1 && text.startsWith(BYTE_ORDER_MARK) ? text.substring(1) : text).strip();
            if (trimmed.isEmpty() || trimmed.startsWith(COMMENT)) {
                continue;
            }
            BacktestEvent event = EventLineParser.parse(number, trimmed);
            if (previous != null && event.at().isBefore(previous.at())) {
                throw new BacktestInputException(number, goesBack(event.at(), previous));
            }
            events.accept(event);
            previous = event;
        }
    }

    private static String next(Lines lines, int number) throws IOException {
        try {
            return lines.next();
        } catch (CharacterCodingException e) {
            throw new BacktestInputException(number, "is not UTF-8 text; save the file as UTF-8", e);
        }
    }

    private static String goesBack(Instant at, BacktestEvent previous) {
        return "at "
                + at
                + " is before line "
                + previous.line()
                + "'s "
                + previous.at()
                + "; events must be in time order";
    }
}
