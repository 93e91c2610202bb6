package io.agentmediator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The production logback.xml, in a context of its own, fed the events Kafka Streams logs when it
 * restores tasks after an unclean stop (their shapes copied from a mediator's log after a kill -9).
 */
class RestorationLogFilterTest {

    private static final String THREAD = "stream-thread [mediator-1-StreamThread-1] ";
    private static final TaskId T0 = new TaskId(0, 0);
    private static final TaskId T1 = new TaskId(0, 1);

    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void configure() throws Exception {
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(RestorationLogFilterTest.class.getResource("/logback.xml"));
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.detachAndStopAllAppenders();
        captured.setContext(context);
        captured.start();
        root.addAppender(captured);
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    @Test
    void shouldLogAnExpectedRestorationAsOneWarnLineWithoutStack() {
        // Given the events of one restoration after a kill, as Kafka logs them (its LogContext formats the message itself)
        kafka("ProcessorStateManager").warn(THREAD + "stream-task [0_1] State store rate-buckets did not find checkpoint offsets while stores"
                + " are not empty, since under EOS it has the risk of getting uncommitted data in stores we have to treat it as a task"
                + " corruption error and wipe out the local state of task 0_1 before re-bootstrapping");
        kafka("StateDirectory").warn("Failed to register startup state stores for task {}: {}", T1, "Tasks [0_1] are corrupted and hence need to be re-initialized");
        kafka("TaskManager").error(THREAD + "Get exceptions for the following tasks: {0_1=" + TaskCorruptedException.class.getName()
                + ": Tasks [0_1] are corrupted and hence need to be re-initialized, 0_0=" + TaskCorruptedException.class.getName()
                + ": Tasks [0_0] are corrupted and hence need to be re-initialized}");
        kafka("TaskManager").warn(THREAD + "Encounter corrupted task 0_1, will group it with other corrupted tasks and handle together",
                new TaskCorruptedException(Set.of(T1)));
        kafka("StreamThread").warn(THREAD + "Detected the states of tasks [0_0, 0_1] are corrupted. Will close the task as dirty and re-create"
                + " and bootstrap from scratch.", new TaskCorruptedException(Set.of(T0, T1)));

        // Then one WARN line of ours remains, naming the tasks, with no stack
        assertThat(captured.list).hasSize(1);
        ILoggingEvent line = captured.list.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getLoggerName()).isEqualTo(RestorationLogFilter.LOGGER);
        assertThat(line.getFormattedMessage()).contains("0_0", "0_1", "stopped uncleanly", "restored from the changelogs");
        assertThat(line.getThrowableProxy()).isNull();
    }

    @Test
    void shouldLetEveryOtherTaskErrorThrough() {
        // Given task errors that are not the expected restoration
        Map<TaskId, RuntimeException> mixed = new LinkedHashMap<>();
        mixed.put(T0, new TaskCorruptedException(Set.of(T0)));
        mixed.put(T1, new IllegalStateException("disk full"));
        kafka("TaskManager").error(THREAD + "Get exceptions for the following tasks: {}", mixed);
        kafka("TaskManager").error(THREAD + "Get exceptions for the following tasks: {0_0=" + TaskCorruptedException.class.getName()
                + ": Tasks [0_0] are corrupted, 0_1=java.lang.IllegalStateException: disk full}");
        kafka("StreamThread").error(THREAD + "Encountered the following exception during processing", new IllegalStateException("boom"));
        context.getLogger("io.agentmediator.gate.AgentGate").warn("Detected the states of tasks {} are corrupted", List.of(),
                new TaskCorruptedException(Set.of(T0)));

        // Then they are all logged as Kafka logged them
        assertThat(captured.list).extracting(ILoggingEvent::getLevel).containsExactly(Level.ERROR, Level.ERROR, Level.ERROR, Level.WARN);
        assertThat(captured.list.get(2).getThrowableProxy()).isNotNull();
    }

    private Logger kafka(String simpleName) {
        return context.getLogger("org.apache.kafka.streams.processor.internals." + simpleName);
    }
}
