package dev.restrictedpython.nifi.runtime;

/**
 * Why a statement did not produce output, as the user should read it: the Python exception type (or
 * {@code log.error}, {@code TimeoutError}, {@code MemoryError}), a plain sentence, and the line of the Statement
 * property it happened on (null when it is not tied to one line).
 */
public record StatementFailure(String type, String message, Integer line) {

    /** {@code ExceptionType: message (line N)}, the form used in logs, bulletins and the command line. */
    public String describe() {
        return type + ": " + message + (line == null ? "" : " (line " + line + ")");
    }
}
