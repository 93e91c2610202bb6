package io.agentmediator.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * What happens when a stream thread dies: it is replaced (exactly-once makes the retry safe),
  * unless threads keep dying, in which case the client shuts down so liveness fails and the
  * orchestrator restarts the pod instead of the mediator looping quietly.
  */
public final class StreamThreadFailures implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final int maxReplacements;
    private final Duration window;
    private final Deque<Long> recent = new ArrayDeque<>();

    public StreamThreadFailures(int maxReplacements, Duration window) {
        this.maxReplacements = maxReplacements;
        this.window = window;
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > window.toNanos()) {
            recent.removeFirst();
        }
        recent.addLast(now);
        if (recent.size() > maxReplacements) {
            log.error("stream thread died {} times within {}; shutting the client down", recent.size(), window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        log.error("stream thread died ({} within {}); replacing it", recent.size(), window, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
