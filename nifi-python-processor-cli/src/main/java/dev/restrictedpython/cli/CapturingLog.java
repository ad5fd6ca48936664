package dev.restrictedpython.cli;

import org.apache.nifi.logging.LogLevel;
import org.apache.nifi.util.MockComponentLog;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

import java.util.ArrayList;
import java.util.List;

/**
 * The processor's logger: NiFi's {@link MockComponentLog}, which also keeps every line, of every level, in the
 * order they were logged, formatted as NiFi formats them (without the processor name prefix). A throwable becomes
 * its message, never a stack trace. Every level is enabled, so that trace and debug lines show too.
 */
final class CapturingLog extends MockComponentLog {

    /** One logged line. */
    record Line(LogLevel level, String text) {
        @Override
        public String toString() {
            return level.name() + ": " + text;
        }
    }

    private final List<Line> lines = new ArrayList<>();

    CapturingLog(String componentId, Object component) {
        super(componentId, component);
    }

    /** Every line so far, in order. */
    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }

    private synchronized void capture(LogLevel level, String message, Object[] arguments, Throwable throwable) {
        FormattingTuple formatted = MessageFormatter.arrayFormat(message, arguments);
        String text = formatted.getMessage();
        Throwable cause = throwable != null ? throwable : formatted.getThrowable();
        if (cause != null) {
            text = text + ": " + describe(cause);
        }
        lines.add(new Line(level, text));
    }

    private static String describe(Throwable throwable) {
        String message = throwable.getMessage();
        return throwable.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public boolean isTraceEnabled() {
        return true;
    }

    @Override
    public boolean isDebugEnabled() {
        return true;
    }

    @Override
    public boolean isInfoEnabled() {
        return true;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isErrorEnabled() {
        return true;
    }

    @Override
    public void trace(String msg, Throwable t) {
        capture(LogLevel.TRACE, msg, null, t);
        super.trace(msg, t);
    }

    @Override
    public void trace(String msg, Object... os) {
        capture(LogLevel.TRACE, msg, os, null);
        super.trace(msg, os);
    }

    @Override
    public void trace(String msg) {
        capture(LogLevel.TRACE, msg, null, null);
        super.trace(msg);
    }

    @Override
    public void debug(String msg, Throwable t) {
        capture(LogLevel.DEBUG, msg, null, t);
        super.debug(msg, t);
    }

    @Override
    public void debug(String msg, Object... os) {
        capture(LogLevel.DEBUG, msg, os, null);
        super.debug(msg, os);
    }

    @Override
    public void debug(String msg) {
        capture(LogLevel.DEBUG, msg, null, null);
        super.debug(msg);
    }

    @Override
    public void info(String msg, Throwable t) {
        capture(LogLevel.INFO, msg, null, t);
        super.info(msg, t);
    }

    @Override
    public void info(String msg, Object... os) {
        capture(LogLevel.INFO, msg, os, null);
        super.info(msg, os);
    }

    @Override
    public void info(String msg) {
        capture(LogLevel.INFO, msg, null, null);
        super.info(msg);
    }

    @Override
    public void warn(String msg, Throwable t) {
        capture(LogLevel.WARN, msg, null, t);
        super.warn(msg, t);
    }

    @Override
    public void warn(String msg, Object... os) {
        capture(LogLevel.WARN, msg, os, null);
        super.warn(msg, os);
    }

    @Override
    public void warn(String msg) {
        capture(LogLevel.WARN, msg, null, null);
        super.warn(msg);
    }

    @Override
    public void error(String msg, Throwable t) {
        capture(LogLevel.ERROR, msg, null, t);
        super.error(msg, t);
    }

    @Override
    public void error(String msg, Object... os) {
        capture(LogLevel.ERROR, msg, os, null);
        super.error(msg, os);
    }

    @Override
    public void error(String msg) {
        capture(LogLevel.ERROR, msg, null, null);
        super.error(msg);
    }
}
