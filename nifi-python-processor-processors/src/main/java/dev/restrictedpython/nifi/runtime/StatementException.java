package dev.restrictedpython.nifi.runtime;

/** The statement failed: it raised, called {@code log.error}, returned the wrong thing, or hit a limit. */
public class StatementException extends Exception {

    private final StatementFailure failure;

    public StatementException(StatementFailure failure) {
        super(failure.describe(), null, false, false);
        this.failure = failure;
    }

    public StatementFailure failure() {
        return failure;
    }
}
