package dev.restrictedpython.cli;

/** Bad arguments or an invalid configuration: exit status 2 with this message. */
final class UsageException extends Exception {

    UsageException(String message) {
        super(message, null, false, false);
    }
}
