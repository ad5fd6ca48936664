package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.records.OutputSchemaBuilder;
import dev.restrictedpython.nifi.records.PlainValueStream;
import dev.restrictedpython.nifi.records.RecordValues;
import dev.restrictedpython.nifi.runtime.ReturnedItems;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects the items a statement returns for one output FlowFile and writes them with the Record Writer.
 * When the writer has a schema of its own, items are converted and written as they come. When it inherits the
 * schema, the schema is inferred from every item before anything is written: items wait in memory, and past
 * {@link #IN_MEMORY_ITEMS} they move to a temporary FlowFile, so memory stays bounded in row-by-row mode. The
 * items of a bulk run are in memory already ({@link ReturnedItems}): the schema is inferred from their fields as
 * the run returns them ({@link #bulkFieldWatcher}), and they are read once, to write them.
 */
final class RecordOutput implements AutoCloseable {

    static final int IN_MEMORY_ITEMS = 10_000;

    /** What was written: the writer's result and MIME type, and the last item (for the checkpoint). */
    record Written(WriteResult result, String mimeType, Map<String, Object> lastItem) {
    }

    private final ProcessSession session;
    private final FlowFile output;
    private final RecordSetWriterFactory writerFactory;
    private final Map<String, String> attributes;
    private final ComponentLog logger;
    private final RecordSchema writerSchema;
    private final OutputSchemaBuilder inferred = new OutputSchemaBuilder();
    private final List<Map<String, Object>> pending = new ArrayList<>();
    private OutputStream directStream;
    private RecordSetWriter directWriter;
    private FlowFile spool;
    private PlainValueStream.Writer spoolStream;
    private ReturnedItems returned;
    /** Whether {@link #inferred} saw the fields of the bulk run as they were returned (see bulkFieldWatcher). */
    private boolean watchedBulkRun;
    private int count;
    private Map<String, Object> lastItem;

    RecordOutput(ProcessSession session, FlowFile output, RecordSetWriterFactory writerFactory,
                 Map<String, String> attributes, ComponentLog logger) throws SchemaNotFoundException, IOException {
        this.session = session;
        this.output = output;
        this.writerFactory = writerFactory;
        this.attributes = attributes;
        this.logger = logger;
        RecordSchema probe = new SimpleRecordSchema(List.of());
        RecordSchema schema = writerFactory.getSchema(attributes, probe);
        // a writer that inherits the record schema hands back what it was given
        this.writerSchema = schema == probe ? null : schema;
        if (writerSchema != null) {
            directStream = session.write(output);
            directWriter = writerFactory.createWriter(logger, writerSchema, directStream, attributes);
            directWriter.beginRecordSet();
        }
    }

    void addAll(List<Map<String, Object>> items) throws IOException {
        for (Map<String, Object> item : items) {
            add(item);
        }
    }

    /**
     * What a bulk run should hand each returned field to as its output crosses into Java, or null: while the
     * values are fresh, schema inference costs less than in a reading of its own after the run (measured: that
     * reading was 6% of a bulk run's main-thread samples, most of them waiting on memory).
     */
    ReturnedItems.FieldConsumer<RuntimeException> bulkFieldWatcher() {
        if (directWriter != null) {
            return null;
        }
        watchedBulkRun = true;
        return inferred::addField;
    }

    /** The items of one bulk run, as the whole output of this FlowFile. */
    void addAll(ReturnedItems items) throws IOException {
        if (directWriter != null) {
            items.drain(this::add);
            return;
        }
        if (count > 0) {
            throw new IllegalStateException("the items of a bulk run are the whole output of a FlowFile");
        }
        if (!watchedBulkRun) {
            items.forEachField(inferred::addField);
        }
        returned = items;
        count = items.count();
    }

    void add(Map<String, Object> item) throws IOException {
        if (returned != null) {
            throw new IllegalStateException("the items of a bulk run are the whole output of a FlowFile");
        }
        int index = count++;
        lastItem = item;
        if (directWriter != null) {
            directWriter.write(RecordValues.toRecord(item, writerSchema, index));
            return;
        }
        inferred.add(item);
        if (spoolStream != null) {
            spoolItem(item);
        } else {
            pending.add(item);
            if (pending.size() > IN_MEMORY_ITEMS) {
                startSpool();
            }
        }
    }

    private void startSpool() throws IOException {
        spool = session.create(output);
        spoolStream = new PlainValueStream.Writer(new BufferedOutputStream(session.write(spool), 1 << 16));
        for (Map<String, Object> item : pending) {
            spoolItem(item);
        }
        pending.clear();
    }

    private void spoolItem(Map<String, Object> item) throws IOException {
        spoolStream.writeItem(item);
    }

    int count() {
        return count;
    }

    Written finish() throws IOException, SchemaNotFoundException {
        if (directWriter != null) {
            WriteResult result = directWriter.finishRecordSet();
            String mimeType = directWriter.getMimeType();
            closeDirect();
            return new Written(result, mimeType, lastItem);
        }
        RecordSchema schema = writerFactory.getSchema(attributes, inferred.build());
        try (OutputStream out = session.write(output);
             RecordSetWriter writer = writerFactory.createWriter(logger, schema, out, attributes)) {
            writer.beginRecordSet();
            if (returned != null) {
                writeReturned(writer, schema);
            } else if (spool == null) {
                for (int i = 0; i < pending.size(); i++) {
                    writer.write(RecordValues.toRecord(pending.get(i), schema, i));
                }
            } else {
                writeSpooled(writer, schema);
            }
            WriteResult result = writer.finishRecordSet();
            return new Written(result, writer.getMimeType(), lastItem);
        }
    }

    private void writeReturned(RecordSetWriter writer, RecordSchema schema) throws IOException {
        int[] index = {0};
        returned.drainFieldArrays((keys, values, fields) -> {
            int item = index[0]++;
            writer.write(RecordValues.toRecord(keys, values, fields, schema, item));
            if (item == count - 1) {
                lastItem = ReturnedItems.itemOf(keys, values, fields);
            }
        });
    }

    private void writeSpooled(RecordSetWriter writer, RecordSchema schema) throws IOException {
        spoolStream.close();
        spoolStream = null;
        try (InputStream in = session.read(spool);
             PlainValueStream.Reader items = new PlainValueStream.Reader(new BufferedInputStream(in, 1 << 16))) {
            for (int i = 0; i < count; i++) {
                int fields = items.readFields();
                writer.write(RecordValues.toRecord(items.keys(), items.values(), fields, schema, i));
            }
        }
    }

    private void closeDirect() throws IOException {
        try {
            directWriter.close();
        } finally {
            directWriter = null;
            directStream.close();
            directStream = null;
        }
    }

    /** Releases streams and the temporary FlowFile; safe after a failure. */
    @Override
    public void close() {
        try {
            if (directWriter != null) {
                closeDirect();
            }
            if (spoolStream != null) {
                spoolStream.close();
            }
        } catch (IOException ignored) {
            // the output is being discarded or was already finished
        }
        if (spool != null) {
            session.remove(spool);
            spool = null;
        }
    }
}
