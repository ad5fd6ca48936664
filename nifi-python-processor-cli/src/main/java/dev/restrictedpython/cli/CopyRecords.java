package dev.restrictedpython.cli;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.flowfile.attributes.CoreAttributes;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.exception.ProcessException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bench's {@code copy} contender: every record of the FlowFile through the Record Reader and straight out through
 * the Record Writer, no statement. It routes as ExecuteRestrictedPython does (output to success, input to original),
 * so the difference between the two is the statement and its Python round trip.
 */
final class CopyRecords extends AbstractProcessor {

    static final PropertyDescriptor RECORD_READER = new PropertyDescriptor.Builder()
            .name("Record Reader")
            .required(true)
            .identifiesControllerService(RecordReaderFactory.class)
            .build();

    static final PropertyDescriptor RECORD_WRITER = new PropertyDescriptor.Builder()
            .name("Record Writer")
            .required(true)
            .identifiesControllerService(RecordSetWriterFactory.class)
            .build();

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success").build();
    static final Relationship REL_ORIGINAL = new Relationship.Builder().name("original").build();

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return List.of(RECORD_READER, RECORD_WRITER);
    }

    @Override
    public Set<Relationship> getRelationships() {
        return Set.of(REL_SUCCESS, REL_ORIGINAL);
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) throws ProcessException {
        FlowFile input = session.get();
        if (input == null) {
            return;
        }
        RecordReaderFactory readerFactory = context.getProperty(RECORD_READER).asControllerService(RecordReaderFactory.class);
        RecordSetWriterFactory writerFactory = context.getProperty(RECORD_WRITER).asControllerService(RecordSetWriterFactory.class);
        FlowFile output = session.create(input);
        Map<String, String> attributes = new HashMap<>();
        try (InputStream in = session.read(input);
             RecordReader reader = readerFactory.createRecordReader(input, in, getLogger())) {
            RecordSchema schema = writerFactory.getSchema(input.getAttributes(), reader.getSchema());
            try (OutputStream out = session.write(output);
                 RecordSetWriter writer = writerFactory.createWriter(getLogger(), schema, out, input.getAttributes())) {
                writer.beginRecordSet();
                Record record;
                while ((record = reader.nextRecord()) != null) {
                    writer.write(record);
                }
                WriteResult result = writer.finishRecordSet();
                attributes.putAll(result.getAttributes());
                attributes.put("record.count", String.valueOf(result.getRecordCount()));
                attributes.put(CoreAttributes.MIME_TYPE.key(), writer.getMimeType());
            }
        } catch (Exception e) {
            throw new ProcessException("copy failed: " + e.getMessage(), e);
        }
        output = session.putAllAttributes(output, attributes);
        session.transfer(output, REL_SUCCESS);
        session.transfer(input, REL_ORIGINAL);
    }
}
