package io.agentmediator.sqldemo;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Where the topology module's demo prints, passed on to the console. It learns from those lines what this demo needs
 * and the demo does not hand out: the embedded broker's address, and that the summary line is out, so that every
 * decision and case file is on the topics. The lines the demo prints after its summary (the endpoints to try while it
 * keeps running) are passed on only when this demo keeps running too.
 */
final class DemoOutput extends PrintStream {

    static final String BROKER = "embedded Kafka broker at ";
    static final String SUMMARY = "summary: ";

    private final boolean showEndpoints;
    private final CountDownLatch summarized = new CountDownLatch(1);
    private volatile String bootstrapServers;

    DemoOutput(PrintStream console, boolean showEndpoints) {
        super(console, true);
        this.showEndpoints = showEndpoints;
    }

    @Override
    public void println(String line) {
        if (line.startsWith(BROKER)) {
            bootstrapServers = line.substring(BROKER.length()).trim();
        }
        if (summarized.getCount() == 0 && !showEndpoints) {
            return;
        }
        super.println(line);
        if (line.startsWith(SUMMARY)) {
            summarized.countDown();
        }
    }

    @Override
    public void println(Object value) {
        println(String.valueOf(value));
    }

    /**
     * Waits for the summary line and returns the broker's bootstrap servers.
     *
     * @throws ExecutionException with the demo's own failure when it ended before its summary
     */
    String awaitSummary(Future<?> demo) throws InterruptedException, ExecutionException {
        while (!summarized.await(200, TimeUnit.MILLISECONDS)) {
            if (demo.isDone()) {
                demo.get();
                throw new IllegalStateException("the demo ended without its summary line");
            }
        }
        if (bootstrapServers == null) {
            throw new IllegalStateException("the demo printed its summary but not \"" + BROKER + "...\"");
        }
        return bootstrapServers;
    }
}
