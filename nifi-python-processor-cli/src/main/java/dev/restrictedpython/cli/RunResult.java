package dev.restrictedpython.cli;

import java.util.List;
import java.util.Map;

/**
 * What one run of the processor left behind.
 *
 * @param failure {@code ExceptionType: message (line N)} when the statement failed, else null
 * @param output  the content of the success FlowFile, or null when there is none (a failure, or a source run that
 *                returned nothing)
 * @param state   the processor's cluster state after the run
 * @param log     everything the processor logged, in order
 */
record RunResult(String failure, byte[] output, Map<String, String> state, List<CapturingLog.Line> log) {

    boolean failed() {
        return failure != null;
    }
}
