package dev.restrictedpython.cli;

import java.io.PrintStream;

/**
 * Turns a {@link RunResult} into what the user sees: the output records on stdout; on stderr the
 * {@code failure:} line first (when the statement failed), then the processor's log lines, each prefixed with its
 * level; and the exit status.
 */
final class RunReport {

    private RunReport() {
    }

    static int print(RunResult result, PrintStream out, PrintStream err) {
        if (result.failed()) {
            err.println("failure: " + result.failure());
        }
        for (CapturingLog.Line line : result.log()) {
            err.println(line);
        }
        if (result.failed()) {
            return RestrictedPythonCommand.EXIT_STATEMENT_FAILED;
        }
        byte[] output = result.output();
        if (output != null && output.length > 0) {
            out.write(output, 0, output.length);
            if (output[output.length - 1] != '\n') {
                out.println();
            }
        }
        out.flush();
        return RestrictedPythonCommand.EXIT_OK;
    }

    /** Bad arguments or configuration: one {@code error:} line and where to find the usage. */
    static int usageError(String message, PrintStream err) {
        err.println("error: " + message);
        err.println("Run '" + RestrictedPythonCommand.PROGRAM + " run --help' for usage.");
        return RestrictedPythonCommand.EXIT_USAGE;
    }
}
