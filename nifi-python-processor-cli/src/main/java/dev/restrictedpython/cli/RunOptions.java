package dev.restrictedpython.cli;

import dev.restrictedpython.nifi.processor.NetworkAccess;
import dev.restrictedpython.nifi.processor.ProcessingMode;

import java.nio.file.Path;
import java.util.Map;

/**
 * A parsed {@code run} command line. Null means "not given": the processor's default applies.
 *
 * @param statement      the statement file, or {@link #STDIN}
 * @param input          the input file, {@link #STDIN}, or null for source mode
 * @param timeout        a NiFi time period, checked by {@link TimePeriods}
 */
record RunOptions(
        String statement,
        ProcessingMode mode,
        String input,
        RecordFormat inputFormat,
        RecordFormat outputFormat,
        String checkpointColumn,
        String initialCheckpoint,
        Path stateFile,
        boolean includeInputFields,
        Map<String, String> properties,
        Map<String, String> attributes,
        String timeout,
        NetworkAccess network) {

    static final String STDIN = "-";

    boolean sourceMode() {
        return input == null;
    }

    /** The formats the command offers for reading and writing records, each backed by NiFi's own service. */
    enum RecordFormat {
        JSON, CSV
    }
}
