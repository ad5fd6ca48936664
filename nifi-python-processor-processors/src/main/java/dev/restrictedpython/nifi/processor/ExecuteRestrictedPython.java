package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.runtime.PythonSandbox;
import dev.restrictedpython.nifi.runtime.PythonStatement;
import dev.restrictedpython.nifi.runtime.RunLimits;
import dev.restrictedpython.nifi.runtime.SandboxSettings;
import dev.restrictedpython.nifi.runtime.StatementException;
import dev.restrictedpython.nifi.runtime.StatementPool;
import org.apache.nifi.annotation.behavior.DynamicProperty;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.Stateful;
import org.apache.nifi.annotation.behavior.SupportsSensitiveDynamicProperties;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.annotation.lifecycle.OnUnscheduled;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.migration.PropertyConfiguration;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.DataUnit;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.processor.VerifiableProcessor;
import org.apache.nifi.processor.util.StandardValidators;
import org.apache.nifi.scheduling.ExecutionNode;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

@Tags({"python", "script", "record", "transform", "filter", "enrich", "restricted", "sandbox", "graalpy", "checkpoint"})
@CapabilityDescription("Runs a short Python statement over the records of each FlowFile inside a GraalPy sandbox. "
        + "The statement is the body of an async function: it reads INPUT_DATA (a list of dicts), DATA_CHECKPOINT, "
        + "ATTRIBUTES and PROPERTIES, may call log.* and await sleep(seconds), and returns a list of dicts that "
        + "become the output records. Row by row mode runs it once per record and streams; Bulk mode runs it once "
        + "per FlowFile. With no incoming connection the processor is a source: each run calls the statement with "
        + "INPUT_DATA = []. Imports are limited to an allow-list and the sandbox has no access to files, processes, "
        + "environment variables or Java classes, so the processor is safe to hand to flow designers.")
@InputRequirement(InputRequirement.Requirement.INPUT_ALLOWED)
@Stateful(scopes = Scope.CLUSTER, description = "When Data Checkpoint Column is set, the value of that column in the "
        + "last output record of a successful run is stored (entries 'data.checkpoint' and 'data.checkpoint.type') "
        + "and handed to the next run as DATA_CHECKPOINT, with its Python type. It is stored in cluster state and "
        + "written only when the output is committed. Clear the state to start again from the Initial Data Checkpoint.")
@SupportsSensitiveDynamicProperties
@DynamicProperty(name = "A name for the statement's PROPERTIES", value = "A value, which may use Expression Language",
        expressionLanguageScope = ExpressionLanguageScope.FLOWFILE_ATTRIBUTES,
        description = "Each user-defined property is handed to the statement in the PROPERTIES dict, with Expression "
                + "Language evaluated against the incoming FlowFile. Mark it sensitive to keep a secret (an API key) "
                + "out of the flow definition; its value is masked in every log line, bulletin and attribute.")
@WritesAttributes({
        @WritesAttribute(attribute = "record.count", description = "The number of records in the output FlowFile."),
        @WritesAttribute(attribute = "mime.type", description = "The MIME type given by the Record Writer."),
        @WritesAttribute(attribute = ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, description = "On failure: the "
                + "Python exception type, or log.error, TimeoutError, MemoryError, RecordReaderError, "
                + "RecordWriterError."),
        @WritesAttribute(attribute = ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, description = "On failure: what "
                + "went wrong, as a sentence. Values of sensitive properties are masked."),
        @WritesAttribute(attribute = ExecuteRestrictedPython.ERROR_LINE_ATTRIBUTE, description = "On failure: the line "
                + "of the Statement property where it happened, when the failure belongs to one line.")
})
@UseCase(description = "Enrich each record with computed fields.",
        configuration = """
                Set Processing Mode to "Row by row" and Include Input Fields to "true".
                Set Statement to a statement that returns only the new fields, for example:
                    row = INPUT_DATA[0]
                    return [{"total": row["price"] * row["quantity"]}]
                Configure a Record Reader and a Record Writer for the data format.
                """)
@UseCase(description = "Filter records with a Python condition.",
        configuration = """
                Set Processing Mode to "Row by row". Set Statement to return the record when it should stay and an
                empty list when it should be dropped, for example:
                    row = INPUT_DATA[0]
                    return [row] if row["status"] == "active" else []
                """)
@UseCase(description = "Call an HTTP API incrementally, remembering how far the last run got.",
        configuration = """
                Leave the processor without an incoming connection (source mode) and schedule it on the primary node.
                Set Data Checkpoint Column to the field that orders the data (for example "id") and Initial Data
                Checkpoint to where the first run starts (for example 0). Set Statement to fetch what comes after
                DATA_CHECKPOINT, for example:
                    import httpx
                    response = httpx.get(PROPERTIES["url"], params={"after": DATA_CHECKPOINT})
                    return response.json()["items"]
                Add a user-defined property "url" with the API address; mark API keys as sensitive.
                """)
@UseCase(description = "Aggregate all records of a FlowFile into summary records.",
        configuration = """
                Set Processing Mode to "Bulk". Set Statement to group INPUT_DATA, for example:
                    totals = {}
                    for row in INPUT_DATA:
                        totals[row["country"]] = totals.get(row["country"], 0) + row["amount"]
                    return [{"country": c, "amount": a} for c, a in totals.items()]
                """)
public class ExecuteRestrictedPython extends AbstractProcessor implements VerifiableProcessor {

    public static final String ERROR_TYPE_ATTRIBUTE = "python.error.type";
    public static final String ERROR_MESSAGE_ATTRIBUTE = "python.error.message";
    public static final String ERROR_LINE_ATTRIBUTE = "python.error.line";

    /** Starts the scheduling error when the statement does not compile; the failure description follows. */
    public static final String STATEMENT_CANNOT_RUN = "The statement cannot run: ";

    /** Starts the error logged when a source run fails; the failure description follows. */
    public static final String SOURCE_RUN_FAILED = FlowFileRunner.SOURCE_RUN_FAILED;

    private static final AtomicBoolean INTERPRETER_WARNING_GIVEN = new AtomicBoolean();

    public static final PropertyDescriptor STATEMENT = new PropertyDescriptor.Builder()
            .name("Statement")
            .description("The body of an async Python function, run over the records. It reads INPUT_DATA (always a "
                    + "list of dicts), DATA_CHECKPOINT, ATTRIBUTES and PROPERTIES, may call log.trace/debug/info/warn/"
                    + "error(message) and await sleep(seconds), and must end by returning a list of dicts: the output "
                    + "records. Type hints are not supported. Allowed imports: string, math, itertools, random, "
                    + "warnings, base64, io, json, xml, ssl, time, datetime, yaml, httpx, pandas, numpy, deepdiff, "
                    + "passlib.hash, jose, jose.backends, jose.constants, jose.utils, openai, matplotlib, "
                    + "matplotlib.pyplot.")
            .required(true)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor PROCESSING_MODE = new PropertyDescriptor.Builder()
            .name("Processing Mode")
            .description("Row by row runs the statement once per record and streams; Bulk runs it once per FlowFile "
                    + "with all records. Default: Row by row.")
            .required(true)
            .allowableValues(ProcessingMode.class)
            .defaultValue(ProcessingMode.ROW_BY_ROW)
            .build();

    public static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .description("Reads the records of incoming FlowFiles. Required when the processor has an incoming "
                    + "connection; not used in source mode.")
            .required(false)
            .identifiesControllerService(RecordReaderFactory.class)
            .build();

    public static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .description("Writes the returned records. With a writer that inherits the record schema, the schema "
                    + "is inferred from all returned records; otherwise returned values are converted to the writer's "
                    + "schema (missing fields become null, extra keys are ignored).")
            .required(true)
            .identifiesControllerService(RecordSetWriterFactory.class)
            .build();

    public static final PropertyDescriptor INCLUDE_INPUT_FIELDS = new PropertyDescriptor.Builder()
            .name("Include Input Fields")
            .description("Row by row only: each returned dict is laid over a copy of its input record, so the output "
                    + "keeps the input fields and returned keys win. Default: false.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("false")
            .dependsOn(PROCESSING_MODE, ProcessingMode.ROW_BY_ROW)
            .build();

    public static final PropertyDescriptor DATA_CHECKPOINT_COLUMN = new PropertyDescriptor.Builder()
            .name("Data Checkpoint Column")
            .description("A field of the output records. After a successful run its value in the last output record "
                    + "is stored in cluster state and handed to the next run as DATA_CHECKPOINT, with its type. "
                    + "No output, or no value in the last record: the checkpoint stays as it was. In source mode on a "
                    + "cluster, run the processor on the primary node only.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final PropertyDescriptor INITIAL_DATA_CHECKPOINT = new PropertyDescriptor.Builder()
            .name("Initial Data Checkpoint")
            .description("DATA_CHECKPOINT while no checkpoint is stored. A whole number becomes an int, a number with "
                    + "a fraction a float, true/false a bool, an ISO-8601 date or date-time a date or UTC datetime, "
                    + "anything else a str (quote it to force a str). Empty: None.")
            .required(false)
            .addValidator(StandardValidators.NON_EMPTY_VALIDATOR)
            .dependsOn(DATA_CHECKPOINT_COLUMN)
            .build();

    public static final PropertyDescriptor STATEMENT_TIMEOUT = new PropertyDescriptor.Builder()
            .name("Statement Timeout")
            .description("The longest one run of the statement may take (in Row by row mode, one record) before it "
                    + "is stopped and the FlowFile goes to failure. Default: 30 sec.")
            .required(true)
            .addValidator(StandardValidators.TIME_PERIOD_VALIDATOR)
            .defaultValue("30 sec")
            .build();

    public static final PropertyDescriptor MEMORY_LIMIT = new PropertyDescriptor.Builder()
            .name("Memory Limit")
            .description("The most memory one run of the statement may allocate (in Row by row mode, one record) "
                    + "before it is stopped and the FlowFile goes to failure, so that one statement cannot exhaust "
                    + "NiFi's heap. Counts every allocation of the run, including garbage. Default: 1 GB.")
            .required(true)
            .addValidator(StandardValidators.DATA_SIZE_VALIDATOR)
            .defaultValue("1 GB")
            .build();

    public static final PropertyDescriptor NETWORK_ACCESS = new PropertyDescriptor.Builder()
            .name("Network Access")
            .description("Whether the statement may open network connections. Default: Allowed.")
            .required(true)
            .allowableValues(NetworkAccess.class)
            .defaultValue(NetworkAccess.ALLOWED)
            .build();

    public static final PropertyDescriptor DEBUG_INPUT = new PropertyDescriptor.Builder()
            .name("Debug Input")
            .description("Used only by Verify (the seed's \"Debug script\"): a JSON array of objects that the statement "
                    + "is dry-run on, as INPUT_DATA records, without touching FlowFiles or state. Verification reports "
                    + "the returned records, the log lines and the time taken. Empty: a run with no records.")
            .required(false)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();

    public static final Relationship REL_SUCCESS = new Relationship.Builder()
            .name("success")
            .description("The records the statement returned.")
            .build();

    public static final Relationship REL_FAILURE = new Relationship.Builder()
            .name("failure")
            .description("The incoming FlowFile, unchanged, when the statement or record reading/writing failed; "
                    + "python.error.* attributes say why.")
            .build();

    public static final Relationship REL_ORIGINAL = new Relationship.Builder()
            .name("original")
            .description("The incoming FlowFile after its records were processed successfully.")
            .build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(
            STATEMENT, PROCESSING_MODE, RECORD_READER, RECORD_WRITER, INCLUDE_INPUT_FIELDS, DATA_CHECKPOINT_COLUMN,
            INITIAL_DATA_CHECKPOINT, STATEMENT_TIMEOUT, MEMORY_LIMIT, NETWORK_ACCESS, DEBUG_INPUT);

    private static final Map<String, PropertyDescriptor> SEED_PROPERTY_NAMES =
            Map.of("Data checkpoint column", DATA_CHECKPOINT_COLUMN);

    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE, REL_ORIGINAL);

    private volatile StatementPool pool;
    private volatile FlowFileRunner runner;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    /**
     * No property has been renamed since the first release. The seed's documentation labels the checkpoint setting
     * "Data checkpoint column"; a flow configured from it (where that name lands as a dynamic property) gets the
     * value under this processor's name instead of handing it to the statement as a stray PROPERTIES entry.
     */
    @Override
    public void migrateProperties(PropertyConfiguration config) {
        SEED_PROPERTY_NAMES.forEach((seedName, descriptor) -> {
            if (config.hasProperty(seedName) && !config.isPropertySet(descriptor)) {
                config.renameProperty(seedName, descriptor.getName());
            }
        });
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected PropertyDescriptor getSupportedDynamicPropertyDescriptor(String propertyDescriptorName) {
        return new PropertyDescriptor.Builder()
                .name(propertyDescriptorName)
                .description("Handed to the statement as PROPERTIES['" + propertyDescriptorName + "'].")
                .dynamic(true)
                .required(false)
                .addValidator(StandardValidators.ATTRIBUTE_KEY_PROPERTY_NAME_VALIDATOR)
                .addValidator(StandardValidators.NON_EMPTY_VALIDATOR)
                .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
                .build();
    }

    @Override
    public List<ConfigVerificationResult> verify(ProcessContext context, ComponentLog verificationLogger,
                                                 Map<String, String> attributes) {
        return StatementVerifier.verify(context, attributes);
    }

    @OnScheduled
    public void onScheduled(ProcessContext context) {
        if (context.hasIncomingConnection() && !context.getProperty(RECORD_READER).isSet()) {
            throw new ProcessException("Record Reader is required when the processor has an incoming connection");
        }
        try {
            pool = StatementPool.open(context.getProperty(STATEMENT).getValue(), sandboxSettings(context),
                    Math.max(1, context.getMaxConcurrentTasks()));
        } catch (StatementException e) {
            throw new ProcessException(STATEMENT_CANNOT_RUN + e.failure().describe());
        }
        runner = new FlowFileRunner(context, getLogger());
        warnWhenCheckpointNeedsPrimaryNode(context);
        if (!PythonSandbox.isJitEnabled() && INTERPRETER_WARNING_GIVEN.compareAndSet(false, true)) {
            getLogger().warn("GraalPy runs interpreter-only on this JVM, several times slower than with the Graal JIT "
                    + "compiler; see the README's 'Install in NiFi' section for the bootstrap.conf lines that enable it");
        }
    }

    private void warnWhenCheckpointNeedsPrimaryNode(ProcessContext context) {
        if (!context.hasIncomingConnection() && context.getProperty(DATA_CHECKPOINT_COLUMN).isSet()
                && context.getExecutionNode() != ExecutionNode.PRIMARY && getNodeTypeProvider().isClustered()) {
            getLogger().warn("Source mode with a Data Checkpoint Column keeps one checkpoint for the whole cluster; "
                    + "set Execution to 'Primary node' so that a single node runs the statement");
        }
    }

    static SandboxSettings sandboxSettings(ProcessContext context) {
        Duration timeout = Duration.ofMillis(context.getProperty(STATEMENT_TIMEOUT).asTimePeriod(TimeUnit.MILLISECONDS));
        long memoryLimit = context.getProperty(MEMORY_LIMIT).asDataSize(DataUnit.B).longValue();
        boolean network = context.getProperty(NETWORK_ACCESS).asAllowableValue(NetworkAccess.class) == NetworkAccess.ALLOWED;
        return new SandboxSettings(network, new RunLimits(timeout, memoryLimit));
    }

    @OnUnscheduled
    public void onUnscheduled() {
        StatementPool current = pool;
        if (current != null) {
            current.interruptAll();
        }
    }

    @OnStopped
    public void onStopped() {
        StatementPool current = pool;
        pool = null;
        runner = null;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) throws ProcessException {
        FlowFile input = null;
        if (context.hasIncomingConnection()) {
            input = session.get();
            if (input == null) {
                return;
            }
        }
        Map<String, String> state;
        try {
            state = session.getState(Scope.CLUSTER).toMap();
        } catch (IOException e) {
            getLogger().warn("Cannot read the data checkpoint from cluster state; will try again: {}", e.getMessage());
            session.rollback();
            context.yield();
            return;
        }
        PythonStatement statement = borrowStatement();
        try {
            FlowFileRunner.Outcome outcome = input == null
                    ? runner.runSource(session, statement, state)
                    : runner.runFlowFile(session, statement, input, state);
            outcome.newCheckpointState().ifPresent(updated -> setState(session, updated));
        } finally {
            releaseStatement(statement);
        }
    }

    private PythonStatement borrowStatement() {
        try {
            return pool.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProcessException("Interrupted while waiting for a Python context", e);
        } catch (StatementException e) {
            throw new ProcessException("Cannot build a Python context for this task: " + e.failure().describe());
        }
    }

    private void releaseStatement(PythonStatement statement) {
        pool.release(statement);
    }

    /** Goes through the session, so NiFi writes the state only when the output it belongs to is committed. */
    private void setState(ProcessSession session, Map<String, String> updated) {
        try {
            session.setState(updated, Scope.CLUSTER);
        } catch (IOException e) {
            throw new ProcessException("Cannot store the data checkpoint in cluster state", e);
        }
    }
}
