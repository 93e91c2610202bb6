package io.agentmediator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The production logback.xml, configured as MEDIATOR_LOG_FORMAT selects, in a context of its own. */
class LogFormatTest {

    @Test
    void shouldWriteEachEventAsOneJsonObjectOnOneLineWhenJsonIsSelected() throws Exception {
        String line = encode("json", new IllegalStateException("broken\non two lines"));

        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARN");
        assertThat(json.get("formattedMessage").asText()).isEqualTo("intent i-1 dead-lettered");
        assertThat(json.get("throwable").toString()).contains("broken\\non two lines");
    }

    @Test
    void shouldWriteOneConciseTextLineByDefault() throws Exception {
        String line = encode("text", null);

        assertThat(line).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  test - intent i-1 dead-lettered\\n");
    }

    @Test
    void shouldTakeTheFormatInAnyCase() throws Exception {
        assertThat(new ObjectMapper().readTree(encode("JSON", null)).get("level").asText()).isEqualTo("WARN");
    }

    @Test
    void shouldLogTextAndSaySoWhenTheFormatIsNeitherTextNorJson() throws Exception {
        LoggerContext context = configured("yaml");

        assertThat(encode(context, null)).matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  test - intent i-1 dead-lettered\\n");
        assertThat(context.getStatusManager().getCopyOfStatusList())
                .anySatisfy(status -> assertThat(status.getMessage()).contains("MEDIATOR_LOG_FORMAT must be text or json, was \"yaml\""));
    }

    private static String encode(String format, Throwable error) throws JoranException {
        return encode(configured(format), error);
    }

    private static LoggerContext configured(String format) throws JoranException {
        LoggerContext context = new LoggerContext();
        // A context outside SLF4J's binding has no MDC adapter of its own; the JSON encoder reads the MDC.
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        context.putProperty("MEDIATOR_LOG_FORMAT", format);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
        return context;
    }

    private static String encode(LoggerContext context, Throwable error) {
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        OutputStreamAppender<ILoggingEvent> console = (OutputStreamAppender<ILoggingEvent>) root.getAppender("CONSOLE");
        LoggingEvent event = new LoggingEvent(Logger.class.getName(), context.getLogger("test"), ch.qos.logback.classic.Level.WARN,
                "intent {} dead-lettered", error, new Object[] {"i-1"});
        String encoded = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
        context.stop();
        return encoded;
    }
}
