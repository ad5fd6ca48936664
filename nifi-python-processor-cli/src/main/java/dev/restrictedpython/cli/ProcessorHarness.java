package dev.restrictedpython.cli;

import dev.restrictedpython.cli.RunOptions.RecordFormat;
import dev.restrictedpython.nifi.processor.ExecuteRestrictedPython;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.csv.CSVUtils;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.logging.LogLevel;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.MockProcessContext;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The processor set up as NiFi would run it: {@link ExecuteRestrictedPython} in NiFi's mock framework, with NiFi's
 * own JSON or CSV reader and writer as controller services, the options as its properties, the state file as its
 * cluster state and the input file as one incoming FlowFile. {@link #run} triggers it once and reads back what
 * happened.
 */
final class ProcessorHarness {

    private static final String READER_ID = "record-reader";
    private static final String WRITER_ID = "record-writer";

    /**
     * How the processor reports a statement that cannot start (a dialect or syntax error), in the
     * {@code ProcessException} thrown by {@code @OnScheduled}; followed by {@code Type: message (line N)}.
     */
    static final String CANNOT_RUN_PREFIX = ExecuteRestrictedPython.STATEMENT_CANNOT_RUN;

    /**
     * How the processor logs (at error level) a failed run in source mode, where no FlowFile carries the
     * {@code python.error.*} attributes; followed by {@code Type: message (line N)}.
     */
    static final String SOURCE_FAILURE_PREFIX = ExecuteRestrictedPython.SOURCE_RUN_FAILED;

    private final TestRunner runner;
    private final CapturingLog log;
    private final boolean source;

    private ProcessorHarness(TestRunner runner, CapturingLog log, boolean source) {
        this.runner = runner;
        this.log = log;
        this.source = source;
    }

    /**
     * A processor configured from the options, holding {@code state}.
     *
     * @throws UsageException when NiFi finds the configuration invalid
     */
    static ProcessorHarness configure(RunOptions options, String statement, Map<String, String> state)
            throws UsageException {
        ExecuteRestrictedPython processor = new ExecuteRestrictedPython();
        CapturingLog log = new CapturingLog("ExecuteRestrictedPython", processor);
        TestRunner runner = TestRunners.newTestRunner(processor, log);
        // NiFi does not reject "${" in a property without Expression Language; only the mock's test check does.
        runner.setValidateExpressionUsage(false);
        runner.setIncomingConnection(!options.sourceMode());

        runner.setProperty(ExecuteRestrictedPython.STATEMENT, statement);
        if (options.mode() != null) {
            runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, options.mode());
        }
        if (options.includeInputFields()) {
            runner.setProperty(ExecuteRestrictedPython.INCLUDE_INPUT_FIELDS, "true");
        }
        setIfGiven(runner, ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN.getName(), options.checkpointColumn());
        setIfGiven(runner, ExecuteRestrictedPython.INITIAL_DATA_CHECKPOINT.getName(), options.initialCheckpoint());
        setIfGiven(runner, ExecuteRestrictedPython.STATEMENT_TIMEOUT.getName(), options.timeout());
        if (options.network() != null) {
            runner.setProperty(ExecuteRestrictedPython.NETWORK_ACCESS, options.network());
        }
        options.properties().forEach(runner::setProperty);

        if (!options.sourceMode()) {
            addReader(runner, options.inputFormat() == null ? RecordFormat.JSON : options.inputFormat());
        }
        addWriter(runner, options.outputFormat() == null ? RecordFormat.JSON : options.outputFormat());

        validate(runner);
        try {
            runner.getStateManager().setState(state, Scope.CLUSTER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProcessorHarness(runner, log, options.sourceMode());
    }

    private static void setIfGiven(TestRunner runner, String property, String value) {
        if (value != null) {
            runner.setProperty(property, value);
        }
    }

    private static void addReader(TestRunner runner, RecordFormat format) {
        ControllerService reader = switch (format) {
            case JSON -> new JsonTreeReader();
            case CSV -> new CSVReader();
        };
        addService(runner, READER_ID, reader);
        if (format == RecordFormat.CSV) {
            runner.setProperty(reader, CSVUtils.FIRST_LINE_IS_HEADER, "true");
        }
        runner.enableControllerService(reader);
        runner.setProperty(ExecuteRestrictedPython.RECORD_READER, READER_ID);
    }

    private static void addWriter(TestRunner runner, RecordFormat format) {
        ControllerService writer = switch (format) {
            case JSON -> new JsonRecordSetWriter();
            case CSV -> new CSVRecordSetWriter();
        };
        addService(runner, WRITER_ID, writer);
        if (format == RecordFormat.JSON) {
            runner.setProperty(writer, JsonRecordSetWriter.PRETTY_PRINT_JSON, "true");
        }
        runner.enableControllerService(writer);
        runner.setProperty(ExecuteRestrictedPython.RECORD_WRITER, WRITER_ID);
    }

    private static void addService(TestRunner runner, String id, ControllerService service) {
        try {
            runner.addControllerService(id, service);
        } catch (InitializationException e) {
            throw new IllegalStateException("cannot initialise " + service.getClass().getSimpleName(), e);
        }
    }

    /** NiFi's validation, as the canvas shows it before the processor may start. */
    private static void validate(TestRunner runner) throws UsageException {
        MockProcessContext context = (MockProcessContext) runner.getProcessContext();
        List<String> problems = context.validate().stream()
                .filter(result -> !result.isValid())
                .map(ProcessorHarness::describe)
                .toList();
        if (!problems.isEmpty()) {
            throw new UsageException("invalid configuration: " + String.join("; ", problems));
        }
    }

    private static String describe(ValidationResult result) {
        return "'" + result.getSubject() + "' is invalid: " + result.getExplanation();
    }

    /**
     * Triggers the processor once: with {@code content} as the incoming FlowFile, or as a source when this harness
     * has no incoming connection ({@code content} is ignored).
     *
     * @throws UsageException when the processor cannot start for a reason other than the statement
     */
    RunResult run(byte[] content, Map<String, String> attributes) throws UsageException {
        if (!source) {
            runner.enqueue(content, attributes);
        }
        String failure = null;
        try {
            runner.run();
        } catch (AssertionError e) {
            failure = failureOf(e);
        }
        byte[] output = null;
        if (failure == null) {
            List<MockFlowFile> failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE);
            List<MockFlowFile> succeeded = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS);
            if (!failed.isEmpty()) {
                failure = failureOf(failed.getFirst());
            } else if (!succeeded.isEmpty()) {
                output = succeeded.getFirst().toByteArray();
            } else if (source) {
                failure = sourceFailure();
            }
        }
        return new RunResult(failure, output, state(), log.lines());
    }

    /**
     * The mock reports an exception out of {@code @OnScheduled} or {@code onTrigger} as an AssertionError with the
     * exception as its cause. A statement that cannot start is the statement failing; the rest is configuration
     * (start) or a processor error (trigger).
     */
    private static String failureOf(AssertionError error) throws UsageException {
        Throwable root = error;
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProcessException && cause.getMessage() != null
                    && cause.getMessage().startsWith(CANNOT_RUN_PREFIX)) {
                return cause.getMessage().substring(CANNOT_RUN_PREFIX.length());
            }
            root = cause;
        }
        String message = root == error ? String.valueOf(error.getMessage()) : root.getMessage();
        if (String.valueOf(error.getMessage()).contains("@OnScheduled")) {
            throw new UsageException("the processor cannot start: " + message);
        }
        return root.getClass().getSimpleName() + ": " + message;
    }

    private static String failureOf(MockFlowFile failed) {
        String type = failed.getAttribute(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE);
        String message = failed.getAttribute(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE);
        String line = failed.getAttribute(ExecuteRestrictedPython.ERROR_LINE_ATTRIBUTE);
        return type + ": " + message + (line == null || line.isEmpty() ? "" : " (line " + line + ")");
    }

    /** A source run leaves no FlowFile when it fails; the processor's error log line says why. */
    private String sourceFailure() {
        return log.lines().stream()
                .filter(line -> line.level() == LogLevel.ERROR)
                .map(CapturingLog.Line::text)
                .filter(text -> text.startsWith(SOURCE_FAILURE_PREFIX))
                .map(text -> text.substring(SOURCE_FAILURE_PREFIX.length()))
                .findFirst()
                .orElse(null);
    }

    /**
     * NiFi's Verify on the configured processor, with {@code debugInput} (a JSON array of records) as its Debug
     * Input property; FlowFiles and state are left alone, as in NiFi.
     */
    List<ConfigVerificationResult> verify(String debugInput, Map<String, String> attributes) {
        if (debugInput != null) {
            runner.setProperty(ExecuteRestrictedPython.DEBUG_INPUT, debugInput);
        }
        return ((VerifiableProcessor) runner.getProcessor()).verify(runner.getProcessContext(), log, attributes);
    }

    private Map<String, String> state() {
        try {
            return runner.getStateManager().getState(Scope.CLUSTER).toMap();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
