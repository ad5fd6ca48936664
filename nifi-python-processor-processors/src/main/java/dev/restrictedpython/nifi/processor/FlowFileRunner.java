package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.records.OutputConversionException;
import dev.restrictedpython.nifi.records.RecordValues;
import dev.restrictedpython.nifi.runtime.PythonStatement;
import dev.restrictedpython.nifi.runtime.RunInput;
import dev.restrictedpython.nifi.runtime.StatementException;
import dev.restrictedpython.nifi.runtime.StatementFailure;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.Record;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the statement for one trigger: reads the FlowFile's records, hands them to the statement in the configured
 * mode, writes what it returns, and routes the FlowFiles. Everything a user can get wrong ends as the input
 * FlowFile on failure with {@code python.error.*} attributes, never as an exception out of {@code onTrigger}.
 */
final class FlowFileRunner {

    /** Records handed to Python per call in row-by-row mode: few enough to keep memory bounded. */
    static final int ROW_BATCH = 512;

    /** Starts the error logged when a source run fails (there is no FlowFile to carry the failure). */
    static final String SOURCE_RUN_FAILED = "The statement failed in a source run: ";

    /** What the trigger leaves to do: the checkpoint state to store with the session, if it moved. */
    record Outcome(Optional<Map<String, String>> newCheckpointState) {
        static final Outcome UNCHANGED = new Outcome(Optional.empty());
    }

    private final ProcessContext context;
    private final ComponentLog logger;
    private final ProcessingMode mode;
    private final boolean includeInputFields;
    private final StatementInputs inputs;
    private final RecordReaderFactory readerFactory;
    private final RecordSetWriterFactory writerFactory;

    FlowFileRunner(ProcessContext context, ComponentLog logger) {
        this.context = context;
        this.logger = logger;
        this.mode = context.getProperty(ExecuteRestrictedPython.PROCESSING_MODE).asAllowableValue(ProcessingMode.class);
        this.includeInputFields = mode == ProcessingMode.ROW_BY_ROW
                && context.getProperty(ExecuteRestrictedPython.INCLUDE_INPUT_FIELDS).asBoolean();
        this.inputs = new StatementInputs(context);
        this.readerFactory = context.getProperty(ExecuteRestrictedPython.RECORD_READER)
                .asControllerService(RecordReaderFactory.class);
        this.writerFactory = context.getProperty(ExecuteRestrictedPython.RECORD_WRITER)
                .asControllerService(RecordSetWriterFactory.class);
    }

    /** Source mode: one run with no records; its output, if any, becomes a new FlowFile. */
    Outcome runSource(ProcessSession session, PythonStatement statement, Map<String, String> state) {
        StatementInputs.Evaluated evaluated = inputs.evaluate(Map.of());
        SecretMasker masker = evaluated.masker();
        RunInput input = new RunInput(inputs.checkpoint(state), Map.of(), evaluated.properties());
        StatementLogger log = new StatementLogger(logger, masker, null);
        List<Map<String, Object>> items;
        try {
            items = statement.runBulk(List.of(), input, log);
        } catch (StatementException e) {
            reportFailure(masker, null, e.failure());
            return Outcome.UNCHANGED;
        }
        if (items.isEmpty()) {
            return Outcome.UNCHANGED;
        }
        FlowFile output = session.create();
        try (RecordOutput recordOutput = new RecordOutput(session, output, writerFactory, Map.of(), logger)) {
            recordOutput.addAll(items);
            RecordOutput.Written written = recordOutput.finish();
            output = finishOutput(session, output, written);
            session.getProvenanceReporter().create(output);
            session.transfer(output, ExecuteRestrictedPython.REL_SUCCESS);
            session.adjustCounter("Records Written", written.result().getRecordCount(), false);
            return new Outcome(newCheckpoint(state, written.lastItem()));
        } catch (IOException | SchemaNotFoundException | RuntimeException e) {
            session.remove(output);
            reportFailure(masker, null, writerFailure(e));
            return Outcome.UNCHANGED;
        }
    }

    /** One incoming FlowFile: its records through the statement, the output to success, the input to original. */
    Outcome runFlowFile(ProcessSession session, PythonStatement statement, FlowFile input, Map<String, String> state) {
        StatementInputs.Evaluated evaluated = inputs.evaluate(input.getAttributes());
        SecretMasker masker = evaluated.masker();
        RunInput runInput = new RunInput(inputs.checkpoint(state), input.getAttributes(), evaluated.properties());
        StatementLogger log = new StatementLogger(logger, masker, input);
        FlowFile output = session.create(input);
        StatementFailure failure;
        try {
            Processed processed = process(session, statement, input, output, runInput, log);
            output = finishOutput(session, output, processed.written());
            session.transfer(output, ExecuteRestrictedPython.REL_SUCCESS);
            session.transfer(input, ExecuteRestrictedPython.REL_ORIGINAL);
            session.adjustCounter("Records Read", processed.recordsRead(), false);
            session.adjustCounter("Records Written", processed.written().result().getRecordCount(), false);
            return new Outcome(newCheckpoint(state, processed.written().lastItem()));
        } catch (StatementException e) {
            failure = e.failure();
        } catch (RecordReadException e) {
            failure = new StatementFailure("RecordReaderError", "cannot read the records of the FlowFile: "
                    + e.getMessage(), null);
        } catch (SchemaNotFoundException e) {
            failure = writerFailure(e);
        } catch (OutputConversionException e) {
            failure = writerFailure(e);
        } catch (IOException | RuntimeException e) {
            failure = new StatementFailure(e instanceof IOException ? "IOError" : "RecordError",
                    String.valueOf(e.getMessage()), null);
        }
        session.remove(output);
        FlowFile failed = session.putAllAttributes(input, failureAttributes(masker, failure));
        reportFailure(masker, failed, failure);
        session.transfer(failed, ExecuteRestrictedPython.REL_FAILURE);
        return Outcome.UNCHANGED;
    }

    private record Processed(RecordOutput.Written written, int recordsRead) {
    }

    /** Reads, runs and writes with every stream closed on return, so the FlowFiles can be routed after. */
    private Processed process(ProcessSession session, PythonStatement statement, FlowFile input, FlowFile output,
                              RunInput runInput, StatementLogger log)
            throws IOException, SchemaNotFoundException, StatementException, RecordReadException {
        try (InputStream in = session.read(input);
             RecordReader reader = openReader(input, in);
             RecordOutput recordOutput = new RecordOutput(session, output, writerFactory, input.getAttributes(), logger)) {
            int recordsRead = mode == ProcessingMode.BULK
                    ? runBulk(statement, reader, runInput, log, recordOutput)
                    : runRows(statement, reader, runInput, log, recordOutput);
            return new Processed(recordOutput.finish(), recordsRead);
        }
    }

    /** A reader failure, told apart from writer failures so the user learns which side is wrong. */
    private static final class RecordReadException extends Exception {
        RecordReadException(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private RecordReader openReader(FlowFile input, InputStream in) throws RecordReadException {
        try {
            return readerFactory.createRecordReader(input, in, logger);
        } catch (IOException | MalformedRecordException | SchemaNotFoundException e) {
            throw new RecordReadException(e);
        }
    }

    private static Record nextRecord(RecordReader reader) throws RecordReadException {
        try {
            return reader.nextRecord();
        } catch (IOException | MalformedRecordException e) {
            throw new RecordReadException(e);
        }
    }

    private int runRows(PythonStatement statement, RecordReader reader, RunInput input, StatementLogger log,
                        RecordOutput output) throws IOException, RecordReadException, StatementException {
        int read = 0;
        List<Map<String, Object>> batch = new ArrayList<>(ROW_BATCH);
        Record record;
        while ((record = nextRecord(reader)) != null) {
            batch.add(RecordValues.toPlain(record));
            read++;
            if (batch.size() == ROW_BATCH) {
                output.addAll(statement.runRows(batch, output.count(), input, includeInputFields, log));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            output.addAll(statement.runRows(batch, output.count(), input, includeInputFields, log));
        }
        return read;
    }

    private int runBulk(PythonStatement statement, RecordReader reader, RunInput input, StatementLogger log,
                        RecordOutput output) throws IOException, RecordReadException, StatementException {
        PythonStatement.BulkInput records = statement.newBulkInput();
        Record record;
        while ((record = nextRecord(reader)) != null) {
            records.add(RecordValues.toPlain(record));
        }
        output.addAll(statement.runBulk(records, input, log, output.bulkFieldWatcher()));
        return records.count();
    }

    private FlowFile finishOutput(ProcessSession session, FlowFile output, RecordOutput.Written written) {
        Map<String, String> attributes = new HashMap<>(written.result().getAttributes());
        attributes.put("record.count", String.valueOf(written.result().getRecordCount()));
        attributes.put(CoreAttributes.MIME_TYPE.key(), written.mimeType());
        return session.putAllAttributes(output, attributes);
    }

    private Optional<Map<String, String>> newCheckpoint(Map<String, String> state, Map<String, Object> lastItem) {
        String checkpointColumn = inputs.checkpointColumn();
        if (checkpointColumn == null || lastItem == null) {
            return Optional.empty();
        }
        Object value = lastItem.get(checkpointColumn);
        if (value == null) {
            logger.warn("The last output record has no value in Data Checkpoint Column '{}'; the checkpoint stays as it was",
                    checkpointColumn);
            return Optional.empty();
        }
        if (!CheckpointState.isStorable(value)) {
            logger.warn("The last output record's '{}' is a {}, which cannot be a checkpoint; the checkpoint stays as it was",
                    checkpointColumn, RecordValues.pythonTypeName(value));
            return Optional.empty();
        }
        return Optional.of(CheckpointState.write(state, value));
    }

    private static StatementFailure writerFailure(Exception e) {
        if (e instanceof OutputConversionException) {
            return new StatementFailure("TypeError", e.getMessage(), null);
        }
        return new StatementFailure("RecordWriterError", "cannot write the returned records: " + e.getMessage(), null);
    }

    private static Map<String, String> failureAttributes(SecretMasker masker, StatementFailure failure) {
        Map<String, String> attributes = new HashMap<>();
        attributes.put(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, failure.type());
        attributes.put(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, masker.mask(failure.message()));
        attributes.put(ExecuteRestrictedPython.ERROR_LINE_ATTRIBUTE, failure.line() == null ? "" : failure.line().toString());
        return attributes;
    }

    private void reportFailure(SecretMasker masker, FlowFile flowFile, StatementFailure failure) {
        String description = masker.mask(failure.describe());
        if (flowFile == null) {
            logger.error(SOURCE_RUN_FAILED + "{}", description);
        } else {
            logger.error("The statement failed for {}; routing it to failure: {}", flowFile, description);
        }
    }
}
