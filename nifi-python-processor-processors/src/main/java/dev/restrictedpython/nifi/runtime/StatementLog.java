package dev.restrictedpython.nifi.runtime;

/** Where a statement's {@code log.*} calls and its printed lines go. */
@FunctionalInterface
public interface StatementLog {

    enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /**
     * @param line the line of the Statement property that logged, or null when not known (printed output)
     */
    void log(Level level, String message, Integer line);
}
