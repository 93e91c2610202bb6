package io.agentmediator.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
  * What happens when a stream thread dies: it is replaced (exactly-once makes the retry safe),
  * unless threads keep dying, in which case the client shuts down so liveness fails and the
  * orchestrator restarts the pod instead of the mediator looping quietly.
  *
  * <p>A thread whose static name in the group was taken ({@code FencedInstanceIdException}) is not replaced either.
  * Kafka numbers a replacement after the threads still alive, so it would join under a new name, while the member
  * now holding the old one (a second instance of the same {@code instance.id}, or this thread's own join that the
  * broker answered after the thread had given up on it) keeps its partitions, undecided, until the group drops it:
  * a session timeout at best, minutes in a rebalance. A restarted process joins under the old name and takes them
  * back at once.
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
        if (nameTaken(exception)) {
            log.error("a stream thread's name in the consumer group (group.instance.id) was taken by another member: a second "
                    + "instance with this instance.id, or a join of this one the broker answered late. A replacement thread would "
                    + "join under another name and its partitions would wait for the group to drop that member; shutting the client "
                    + "down so that the restarted process takes the name back", exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
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

    private static boolean nameTaken(Throwable exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof FencedInstanceIdException) {
                return true;
            }
        }
        return false;
    }
}
