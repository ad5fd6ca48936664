package dev.restrictedpython.nifi.runtime;

import dev.restrictedpython.nifi.dialect.RestrictedDialect;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One sandboxed GraalPy context with the user's statement checked and compiled in it, ready to run many times.
 * Not thread-safe: one task uses it at a time ({@link StatementPool} hands them out).
 */
public final class PythonStatement implements AutoCloseable {

    private static final String STATEMENT_FILE = "<statement>";
    private static final Source HOST_SOURCE = PythonSandbox.resourceSource("statement_host.py");
    private static final StatementLog DISCARD = (level, message, line) -> { };

    private final Context context;
    private final SandboxSettings settings;
    private Value runRows;
    private Value runBulk;
    private Value dryRun;
    private Value resetAfterInterrupt;
    private static final Pattern JAVA_CLASS_NAME =
            Pattern.compile("\\b(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?\\s*");

    private final long[] heartbeat = new long[1];
    private final WireFormat.Shapes shapes = new WireFormat.Shapes();
    private volatile StatementLog currentLog = DISCARD;
    private volatile boolean broken;

    private PythonStatement(Context context, SandboxSettings settings) {
        this.context = context;
        this.settings = settings;
    }

    /**
     * Builds a context, checks the statement against the dialect and compiles it.
     *
     * @throws StatementException when the statement breaks the dialect or is not valid Python
     */
    public static PythonStatement compile(String statement, SandboxSettings settings) throws StatementException {
        StatementLogStream stdout = new StatementLogStream(StatementLog.Level.INFO);
        StatementLogStream stderr = new StatementLogStream(StatementLog.Level.WARN);
        Context context = PythonSandbox.newContext(settings.networkAllowed(), stdout, stderr);
        PythonStatement compiled = new PythonStatement(context, settings);
        stdout.bind(compiled::log);
        stderr.bind(compiled::log);
        try {
            compiled.prepare(statement);
            return compiled;
        } catch (StatementException | RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /**
     * Loads everything but the statement into a new context: the host glue, the dialect (its lock-down applied)
     * and the XML bridge. Returns the glue's bindings ({@code prepare}, {@code run_rows}, ...).
     */
    static Value loadGlue(Context context) {
        context.eval(HOST_SOURCE);
        Value bindings = context.getBindings(PythonSandbox.LANGUAGE);
        Value installModule = bindings.getMember("install_module");
        Value dialect = null;
        for (RestrictedDialect.Module module : RestrictedDialect.modules()) {
            Value installed = installModule.execute(module.name(), module.source());
            if (module.name().equals(RestrictedDialect.MODULE_NAME)) {
                dialect = installed;
            }
        }
        // before any statement code: signals, time zone and gc reach the whole JVM, whatever the dialect allows
        dialect.getMember("lock_down_interpreter").execute();
        XmlParserBridge.install(installModule);
        return bindings;
    }

    private void prepare(String statement) throws StatementException {
        Value bindings = loadGlue(context);
        Value error = bindings.getMember("prepare").execute(statement, (ProxyExecutable) this::onLog, null,
                settings.networkAllowed());
        if (!error.isNull()) {
            throw new StatementException(failureOf(error, 1));
        }
        runRows = bindings.getMember("run_rows");
        runBulk = bindings.getMember("run_bulk");
        dryRun = bindings.getMember("dry_run");
        resetAfterInterrupt = bindings.getMember("reset_after_interrupt");
    }

    /** Runs the statement once per record (row by row) and returns every output item in order. */
    public List<Map<String, Object>> runRows(List<? extends Map<String, ?>> records, RunInput input,
                                             boolean includeInputFields, StatementLog log) throws StatementException {
        return runRows(records, 0, input, includeInputFields, log);
    }

    /**
     * Row by row, for one batch of a longer output: {@code firstItemIndex} is the position in the whole output of
     * the first item this batch returns, so that a message about an item names its index in the whole output.
     */
    public List<Map<String, Object>> runRows(List<? extends Map<String, ?>> records, int firstItemIndex,
                                             RunInput input, boolean includeInputFields, StatementLog log)
            throws StatementException {
        WireFormat.Batch batch = shapes.batch(records);
        List<Object> sink = new WireFormat.Sink();
        return run(log, () -> confirmed(batch, runRows.execute(batch.chunks(), batch.ends(), batch.newShapes(),
                batch.reset(), WireFormat.encode(input.checkpoint()), WireFormat.encode(input.attributes()),
                WireFormat.encode(input.properties()), includeInputFields, heartbeat, sink, firstItemIndex)),
                outcome -> WireFormat.decodeItems(sink));
    }

    /** Runs the statement once with all records (bulk, or source mode with none). */
    public List<Map<String, Object>> runBulk(List<? extends Map<String, ?>> records, RunInput input,
                                             StatementLog log) throws StatementException {
        return runBulkToList(shapes.batch(records), input, log);
    }

    /**
     * The records of one bulk run, encoded as they are added: a FlowFile's records need not all be held as maps
     * as well as encoded (measured: young collections copying the whole FlowFile twice were a quarter of a bulk
     * run's time).
     */
    public final class BulkInput {
        private final WireFormat.Shapes.BatchBuilder builder = shapes.builder();
        private int count;

        public void add(Map<String, ?> record) {
            builder.add(record);
            count++;
        }

        public int count() {
            return count;
        }
    }

    /** An empty set of records for {@link #runBulk(BulkInput, RunInput, StatementLog, ReturnedItems.FieldConsumer)}. */
    public BulkInput newBulkInput() {
        return new BulkInput();
    }

    /**
     * Runs the statement once with the records added to {@code records}. The items it returned stay encoded
     * until read (see {@link ReturnedItems}), so that a FlowFile's output is never held as a whole list of maps.
     * Each field of each returned item is also handed to {@code fieldsAsReturned} (if not null) while the output
     * crosses into Java, in order, as {@link ReturnedItems#forEachField} would give it, one reading less; fields of
     * a run that fails may have been handed over already.
     */
    public ReturnedItems runBulk(BulkInput records, RunInput input, StatementLog log,
                                 ReturnedItems.FieldConsumer<RuntimeException> fieldsAsReturned)
            throws StatementException {
        return runBulk(records.builder.build(), input, log, fieldsAsReturned);
    }

    /** Receives the items a run returned, one at a time, in order. */
    @FunctionalInterface
    public interface ItemConsumer<E extends Exception> {
        void accept(Map<String, Object> item) throws E;
    }

    private List<Map<String, Object>> runBulkToList(WireFormat.Batch batch, RunInput input, StatementLog log)
            throws StatementException {
        List<Map<String, Object>> items = new ArrayList<>();
        runBulk(batch, input, log, null).drain(items::add);
        return items;
    }

    /** The guest call of a bulk run: its output, still encoded. */
    private ReturnedItems runBulk(WireFormat.Batch batch, RunInput input, StatementLog log,
                                  ReturnedItems.FieldConsumer<RuntimeException> fieldsAsReturned)
            throws StatementException {
        WireFormat.Sink sink = new WireFormat.Sink(fieldsAsReturned);
        return run(log, () -> confirmed(batch, runBulk.execute(batch.chunks(), batch.ends(), batch.newShapes(),
                batch.reset(), WireFormat.encode(input.checkpoint()), WireFormat.encode(input.attributes()),
                WireFormat.encode(input.properties()), heartbeat, sink)),
                outcome -> new ReturnedItems(sink, outcome.getArrayElement(1).asInt()));
    }

    /** The guest call returned, so the record shapes it declared are stored on the Python side. */
    private Value confirmed(WireFormat.Batch batch, Value outcome) {
        shapes.confirm(batch);
        return outcome;
    }

    /** What a dry run returned: how many records, and the records as JSON for a person to read. */
    public record DryRun(int recordCount, String recordsJson) {
    }

    /**
     * Runs the statement over records given as a JSON array, for verification: same limits, no FlowFile.
     *
     * @param recordsJson a JSON array of objects; empty or null runs it as a source would, with no records
     */
    public DryRun dryRun(String recordsJson, RunInput input, boolean rowByRow, boolean includeInputFields,
                         StatementLog log) throws StatementException {
        return run(log, () -> dryRun.execute(recordsJson, WireFormat.encode(input.checkpoint()),
                        WireFormat.encode(input.attributes()), WireFormat.encode(input.properties()), rowByRow,
                        includeInputFields, heartbeat),
                outcome -> new DryRun(outcome.getArrayElement(1).asInt(), outcome.getArrayElement(2).asString()));
    }

    private interface GuestCall {
        Value call();
    }

    /** Runs one guest call under the watchdog; an error outcome or a guest exception becomes a failure. */
    private <T> T run(StatementLog log, GuestCall call, Function<Value, T> onSuccess) throws StatementException {
        currentLog = log;
        RunWatchdog.Watch watch = RunWatchdog.watch(context, heartbeat, settings.limits());
        try {
            Value outcome = call.call();
            watch.close();
            if (watch.breach() != null) {
                // the limit was hit while the statement was between interrupt points (or it swallowed the
                // interrupt): its result does not count
                recoverFromInterrupt();
                throw new StatementException(breachFailure(watch.breach(), null));
            }
            if (!"ok".equals(outcome.getArrayElement(0).asString())) {
                throw new StatementException(failureOf(outcome, 1));
            }
            return onSuccess.apply(outcome);
        } catch (PolyglotException e) {
            watch.close();
            StatementFailure failure = failureOf(e, watch.breach());
            if (e.isInterrupted() || e.isCancelled() || watch.breach() != null) {
                recoverFromInterrupt();
            }
            throw new StatementException(failure);
        } finally {
            watch.close();
            currentLog = DISCARD;
        }
    }

    private void recoverFromInterrupt() {
        try {
            resetAfterInterrupt.execute();
        } catch (PolyglotException e) {
            broken = true;
        }
    }

    private StatementFailure failureOf(PolyglotException e, RunWatchdog.Breach breach) {
        Integer line = statementLine(e);
        if (breach != null) {
            return breachFailure(breach, line);
        }
        if (e.isInterrupted() || e.isCancelled()) {
            return new StatementFailure("Interrupted", "the statement was interrupted because the processor stopped", line);
        }
        if (e.isExit()) {
            broken = true;
            return new StatementFailure("SystemExit", "the statement tried to exit the interpreter", line);
        }
        if (e.isResourceExhausted()) {
            broken = true;
            return new StatementFailure("MemoryError", "the statement exhausted a resource: " + e.getMessage(), line);
        }
        if (e.isInternalError() || !e.isGuestException()) {
            broken = true;
            return new StatementFailure("InternalError", "the Python runtime refused or failed an operation: "
                    + withoutJavaClassNames(e.getMessage()), line);
        }
        String type = e.getGuestObject() != null && e.getGuestObject().getMetaObject() != null
                ? e.getGuestObject().getMetaObject().getMetaSimpleName() : "Error";
        return new StatementFailure(type, e.getMessage(), line);
    }

    /** "com.oracle...UnsupportedPosixFeatureException: socket was excluded" reads "socket was excluded". */
    static String withoutJavaClassNames(String message) {
        String plain = message == null ? "" : JAVA_CLASS_NAME.matcher(message).replaceAll("").strip();
        return plain.isEmpty() ? "no detail given" : plain;
    }

    private StatementFailure breachFailure(RunWatchdog.Breach breach, Integer line) {
        return breach == RunWatchdog.Breach.TIMEOUT
                ? new StatementFailure("TimeoutError", "the statement ran longer than the Statement Timeout of "
                        + Durations.describe(settings.limits().timeout()), line)
                : new StatementFailure("MemoryError", "the statement allocated more than the Memory Limit of "
                        + Durations.describeBytes(settings.limits().allocationLimitBytes()), line);
    }

    private static Integer statementLine(PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            if (frame.isGuestFrame() && frame.getSourceLocation() != null
                    && STATEMENT_FILE.equals(frame.getSourceLocation().getSource().getName())) {
                return frame.getSourceLocation().getStartLine();
            }
        }
        return null;
    }

    private static StatementFailure failureOf(Value error, int offset) {
        Value line = error.getArrayElement(offset + 2);
        return new StatementFailure(error.getArrayElement(offset).asString(),
                error.getArrayElement(offset + 1).asString(), line.isNull() ? null : line.asInt());
    }

    private Object onLog(Value... arguments) {
        StatementLog.Level level = StatementLog.Level.valueOf(arguments[0].asString().toUpperCase());
        Integer line = arguments[2].isNull() ? null : arguments[2].asInt();
        log(level, arguments[1].asString(), line);
        return null;
    }

    private void log(StatementLog.Level level, String message, Integer line) {
        currentLog.log(level, message, line);
    }

    /** False once the context can no longer run (it exited or the runtime failed); the pool replaces it. */
    public boolean isUsable() {
        return !broken;
    }

    /** Stops a run in progress, if any (the processor is being stopped). */
    public void interrupt() {
        try {
            context.interrupt(java.time.Duration.ofSeconds(10));
        } catch (Exception ignored) {
            // nothing was running, or the context is closing
        }
    }

    @Override
    public void close() {
        context.close(true);
    }
}
