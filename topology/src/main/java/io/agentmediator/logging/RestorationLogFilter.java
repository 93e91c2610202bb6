package io.agentmediator.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.slf4j.Marker;

/**
 * Under exactly-once, a stream task that stopped uncleanly (a kill, an OOM) left its stores open, so on
 * the next start Kafka Streams wipes its stores and restores them from the changelogs. That is the
 * designed, handled path, yet Kafka logs it as an ERROR and several WARNs with stacks, which pages
 * anyone alerting on ERROR lines. This filter drops those events and logs one WARN line of ours
 * instead, naming the tasks; the restoration's time and size are the {@code mediator_state_restore_*}
 * metrics. Anything else Kafka logs, including every other task exception, passes untouched.
 */
public final class RestorationLogFilter extends TurboFilter {

    /** The logger of the one line that replaces Kafka's. */
    public static final String LOGGER = "io.agentmediator.logging.Restoration";
    private static final String CORRUPTED = "are corrupted";
    /** One entry of a formatted {@code {taskId=exception: message, ...}} map. */
    private static final Pattern TASK_EXCEPTION = Pattern.compile("\\b\\d+_\\d+=([\\w.$]+)");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || format == null || !logger.getName().startsWith("org.apache.kafka.streams")) {
            return FilterReply.NEUTRAL;
        }
        TaskCorruptedException corruption = corruption(params, t);
        if (corruption != null && format.contains("Detected the states of tasks")) {
            logger.getLoggerContext().getLogger(LOGGER).warn(
                    "tasks {} stopped uncleanly (stores left open): their stores are restored from the changelogs, as exactly-once requires",
                    corruption.corruptedTasks());
            return FilterReply.DENY;
        }
        if (corruption != null
                || format.contains("did not find checkpoint offsets while stores are not empty")
                || format.contains("Failed to register startup state stores") && mentionsCorruption(format, params)
                || format.contains("Get exceptions for the following tasks") && onlyCorruptions(format, params)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }

    private static TaskCorruptedException corruption(Object[] params, Throwable t) {
        if (t instanceof TaskCorruptedException corrupted) {
            return corrupted;
        }
        if (params != null && params.length > 0 && params[params.length - 1] instanceof TaskCorruptedException corrupted) {
            return corrupted;
        }
        return null;
    }

    /** Kafka's own loggers ({@code LogContext}) hand over the message formatted, others the pattern and its arguments. */
    private static boolean mentionsCorruption(String format, Object[] params) {
        if (params == null) {
            return format.contains(CORRUPTED);
        }
        for (Object param : params) {
            if (param instanceof TaskCorruptedException || param instanceof String text && text.contains(CORRUPTED)) {
                return true;
            }
        }
        return false;
    }

    /** Kafka's summary of the exceptions of a round of tasks: dropped only when every one is a corruption. */
    private static boolean onlyCorruptions(String format, Object[] params) {
        if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> byTask) {
            return !byTask.isEmpty() && byTask.values().stream().allMatch(TaskCorruptedException.class::isInstance);
        }
        Matcher exceptions = TASK_EXCEPTION.matcher(format);
        boolean any = false;
        while (exceptions.find()) {
            if (!exceptions.group(1).equals(TaskCorruptedException.class.getName())) {
                return false;
            }
            any = true;
        }
        return any;
    }
}
