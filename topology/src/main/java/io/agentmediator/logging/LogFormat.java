package io.agentmediator.logging;

import ch.qos.logback.core.PropertyDefinerBase;
import java.util.Locale;

/**
 * The log format MEDIATOR_LOG_FORMAT asks for, as the name of the file that defines the console appender: {@code text}
 * or {@code json}, in any case. Anything else is logged as text, with a warning among logback's own status lines: an
 * include of a file that does not exist leaves no appender at all, and a typo would silence every log line, errors
 * included.
 */
public final class LogFormat extends PropertyDefinerBase {

    private String requested = "text";

    public void setRequested(String requested) {
        this.requested = requested;
    }

    @Override
    public String getPropertyValue() {
        String format = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        if (format.equals("text") || format.equals("json")) {
            return format;
        }
        addWarn("MEDIATOR_LOG_FORMAT must be text or json, was \"" + requested + "\": logging as text");
        return "text";
    }
}
