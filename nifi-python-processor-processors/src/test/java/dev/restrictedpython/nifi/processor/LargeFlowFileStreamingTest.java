package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.records.UtcTimeZone;
import org.junit.jupiter.api.extension.ExtendWith;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.controller.AbstractControllerService;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.schema.access.SchemaNotFoundException;
import org.apache.nifi.serialization.DateTimeUtils;
import org.apache.nifi.serialization.MalformedRecordException;
import org.apache.nifi.serialization.RecordReader;
import org.apache.nifi.serialization.RecordReaderFactory;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.WriteResult;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.RecordSet;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.MockProcessSession;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.IntConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A FlowFile of {@value #RECORDS} records through Row by row mode: every record comes out, in order, and the
 * processor never holds more than a batch of records (DESIGN §1: "It must stream: memory stays bounded whatever
 * the FlowFile size").
 *
 * <p>How boundedness is shown. The mock framework keeps every FlowFile's content in memory, so heap alone mixes the
 * processor's footprint with the input and output bytes. Two measurements, taken through record services that wrap
 * NiFi's real JSON reader and writer:</p>
 * <ul>
 *   <li>deterministic: the most records read but not yet written at any moment ("in flight"). With a writer that has
 *       a schema, output is written as it comes, so in Row by row mode this is at most one batch
 *       ({@link FlowFileRunner#ROW_BATCH}); in Bulk mode it is every record.</li>
 *   <li>the live heap after a full GC, sampled every {@value #SAMPLE_EVERY} records read and written, minus the
 *       heap before the run (input bytes already enqueued, Python context already warm): Row by row must stay
 *       well below Bulk over the same records.</li>
 * </ul>
 */
@ExtendWith(UtcTimeZone.class)
class LargeFlowFileStreamingTest {

    static final int RECORDS = 200_000;
    /** Enough to spool (past RecordOutput.IN_MEMORY_ITEMS) several times over, in a fraction of the time. */
    static final int SPOOLED_RECORDS = 5 * RecordOutput.IN_MEMORY_ITEMS;
    static final int SAMPLE_EVERY = 40_000;
    private static final LocalDate FIRST_DAY = LocalDate.of(2024, 1, 1);

    private static final String READ_SCHEMA = """
            {"type": "record", "name": "In", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "price", "type": "double"},
              {"name": "qty", "type": "int"},
              {"name": "active", "type": "boolean"},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}}
            ]}""";

    private static final String WRITE_SCHEMA = """
            {"type": "record", "name": "Out", "fields": [
              {"name": "id", "type": "long"},
              {"name": "name", "type": "string"},
              {"name": "total", "type": "double"},
              {"name": "active", "type": "boolean"},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "seen", "type": "int"}
            ]}""";

    /** The same statement for both modes: in Row by row mode INPUT_DATA holds one record, in Bulk all of them. */
    private static final String STATEMENT = """
            result = []
            for row in INPUT_DATA:
                result.append({"id": row["id"], "name": row["name"].upper(), "total": row["price"] * row["qty"],
                               "active": not row["active"], "day": row["day"], "seen": len(INPUT_DATA)})
            return result
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Map<Integer, byte[]> INPUTS = new java.util.HashMap<>();

    /** {"id":i,"name":"name-i","price":...,"qty":...,"active":...,"day":"yyyy-MM-dd"}, about 90 bytes each. */
    static synchronized byte[] input(int records) {
        return INPUTS.computeIfAbsent(records, count -> {
            StringBuilder json = new StringBuilder(count * 100).append('[');
            for (int i = 0; i < count; i++) {
                json.append(i == 0 ? "" : ",\n")
                        .append("{\"id\":").append(i)
                        .append(",\"name\":\"name-").append(i)
                        .append("\",\"price\":").append(price(i))
                        .append(",\"qty\":").append(qty(i))
                        .append(",\"active\":").append(active(i))
                        .append(",\"day\":\"").append(day(i)).append("\"}");
            }
            return json.append(']').toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    static double price(int i) {
        return (i % 1000) / 4.0 + 0.25;
    }

    static int qty(int i) {
        return i % 7;
    }

    static boolean active(int i) {
        return i % 3 == 0;
    }

    static LocalDate day(int i) {
        return FIRST_DAY.plusDays(i % 366);
    }

    // ------------------------------------------------------------------------------------------ tests

    @Test
    void rowByRowStreamsWhereBulkHoldsEveryRecord() throws Exception {
        Measured row = runMeasured(ProcessingMode.ROW_BY_ROW, WRITE_SCHEMA, RECORDS);
        Measured bulk = runMeasured(ProcessingMode.BULK, WRITE_SCHEMA, RECORDS);
        System.out.printf("LargeFlowFileStreamingTest: %d records, input %.1f MB, output %.1f MB%n", RECORDS,
                input(RECORDS).length / 1e6, row.outputBytes / 1e6);
        report("row by row", row);
        report("bulk", bulk);

        assertOutput(row.output, RECORDS, 1);
        assertOutput(bulk.output, RECORDS, RECORDS);

        // deterministic: row by row never holds more than one batch; bulk holds every record
        assertTrue(row.maxInFlight <= FlowFileRunner.ROW_BATCH, "row by row held " + row.maxInFlight + " records");
        assertEquals(RECORDS, bulk.maxInFlight);
        // and it shows on the heap, input and output bytes held by the mock framework included in both (sampled
        // while records are read and written: bulk holds every record encoded while it reads; measured 2026-11-27,
        // 200,000 records, row ~30-34 MB, bulk 57 MB since its output is written as it is decoded, 142 MB before)
        assertTrue(row.peakGrowth < bulk.peakGrowth, "row by row grew the live heap by " + row.peakGrowth / 1_000_000
                + " MB, bulk by " + bulk.peakGrowth / 1_000_000 + " MB");
    }

    /**
     * The default JsonRecordSetWriter inherits the schema: the processor infers it from every item before writing,
     * keeping the first {@link RecordOutput#IN_MEMORY_ITEMS} items in memory and spooling the rest to a temporary
     * FlowFile, which must be gone when the session commits.
     */
    @Test
    void inheritedSchemaSpoolsToATemporaryFlowFileThatDoesNotLeak() throws Exception {
        Measured spooled = runMeasured(ProcessingMode.ROW_BY_ROW, null, SPOOLED_RECORDS);
        report("row by row, inherited schema, " + SPOOLED_RECORDS + " records", spooled);

        assertOutput(spooled.output, SPOOLED_RECORDS, 1);
        TestRunner runner = spooled.runner;
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 1);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_ORIGINAL, 1);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_FAILURE, 0);
        assertTrue(runner.isQueueEmpty(), "input queue is empty");
        assertEquals(0, runner.getQueueSize().getObjectCount());
        // the temporary FlowFile was created and removed, in the same session as the output
        int removed = runner.getProcessSessionFactory() instanceof org.apache.nifi.util.MockSessionFactory factory
                ? factory.getCreatedSessions().stream().mapToInt(MockProcessSession::getRemovedCount).sum() : -1;
        assertEquals(1, removed, "the spool FlowFile was removed");
    }

    /**
     * In bulk mode the output is in memory already: with an inheriting writer the schema is inferred as it crosses
     * into Java and it is read once, to write it; no temporary FlowFile is made, however many items.
     */
    @Test
    void bulkWithAnInheritedSchemaWritesWithoutATemporaryFlowFile() throws Exception {
        Measured bulk = runMeasured(ProcessingMode.BULK, null, SPOOLED_RECORDS);
        report("bulk, inherited schema, " + SPOOLED_RECORDS + " records", bulk);

        assertOutput(bulk.output, SPOOLED_RECORDS, SPOOLED_RECORDS);
        TestRunner runner = bulk.runner;
        runner.assertTransferCount(ExecuteRestrictedPython.REL_ORIGINAL, 1);
        int removed = runner.getProcessSessionFactory() instanceof org.apache.nifi.util.MockSessionFactory factory
                ? factory.getCreatedSessions().stream().mapToInt(MockProcessSession::getRemovedCount).sum() : -1;
        assertEquals(0, removed, "no FlowFile was created to be removed");
    }

    // ------------------------------------------------------------------------------------------ running

    record Measured(TestRunner runner, MockFlowFile output, long outputBytes, double seconds, double cpuSeconds,
                    long peakGrowth, long maxInFlight) {
    }

    private static void report(String what, Measured measured) {
        System.out.printf("  %s: %.1f s (process CPU %.1f s, GC samples included), peak live heap growth %.1f MB, "
                        + "at most %d records in flight%n", what, measured.seconds, measured.cpuSeconds,
                measured.peakGrowth / 1e6, measured.maxInFlight);
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /** Runs all records through the processor with probing services; writeSchema null: the writer inherits. */
    private Measured runMeasured(ProcessingMode mode, String writeSchema, int records) throws Exception {
        Probe probe = new Probe();
        TestRunner runner = TestRunners.newTestRunner(ExecuteRestrictedPython.class);
        runner.setProperty(ExecuteRestrictedPython.STATEMENT, STATEMENT);
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, mode.getValue());
        // bulk runs the statement once over every record: lift the per-run limits, this test is about memory held
        runner.setProperty(ExecuteRestrictedPython.STATEMENT_TIMEOUT, "10 min");
        runner.setProperty(ExecuteRestrictedPython.MEMORY_LIMIT, "1 TB");
        wireServices(runner, probe, writeSchema);

        // warm up: the Python context is built when the processor is scheduled; measure from after that
        runner.enqueue(oneRecord());
        runner.run(1, false, true);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 1);
        runner.clearTransferState();
        runner.clearProvenanceEvents();
        assertNothingRemovedYet(runner);

        runner.enqueue(input(records));
        probe.start();
        double cpuStarted = processCpuSeconds();
        long started = System.nanoTime();
        runner.run(1, true, false);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = processCpuSeconds() - cpuStarted;
        probe.sample();
        long peakGrowth = probe.maxLive - probe.baseline;

        runner.assertTransferCount(ExecuteRestrictedPython.REL_FAILURE, 0);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 1);
        MockFlowFile output = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        output.assertAttributeEquals("record.count", String.valueOf(records));
        assertEquals(records, probe.read, "records read");
        assertEquals(records, probe.written, "records written");
        return new Measured(runner, output, output.getSize(), seconds, cpuSeconds, peakGrowth, probe.maxInFlight);
    }

    private static void assertNothingRemovedYet(TestRunner runner) {
        // the warm-up run (one record) never spools, so any removal counted later is the spool FlowFile
        if (runner.getProcessSessionFactory() instanceof org.apache.nifi.util.MockSessionFactory factory) {
            int removed = factory.getCreatedSessions().stream().mapToInt(MockProcessSession::getRemovedCount).sum();
            assertEquals(0, removed, "the warm-up run removed no FlowFile");
        }
    }

    private static byte[] oneRecord() {
        return ("[{\"id\":0,\"name\":\"name-0\",\"price\":" + price(0) + ",\"qty\":1,\"active\":true,\"day\":\""
                + FIRST_DAY + "\"}]").getBytes(StandardCharsets.UTF_8);
    }

    private static void wireServices(TestRunner runner, Probe probe, String writeSchema) throws InitializationException {
        JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService("json-reader", reader);
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY.getValue());
        runner.setProperty(reader, SchemaAccessUtils.SCHEMA_TEXT, READ_SCHEMA);
        runner.setProperty(reader, DateTimeUtils.DATE_FORMAT, "yyyy-MM-dd");
        runner.enableControllerService(reader);

        JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService("json-writer", writer);
        if (writeSchema != null) {
            runner.setProperty(writer, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY, SchemaAccessUtils.SCHEMA_TEXT_PROPERTY.getValue());
            runner.setProperty(writer, SchemaAccessUtils.SCHEMA_TEXT, writeSchema);
        }
        runner.setProperty(writer, DateTimeUtils.DATE_FORMAT, "yyyy-MM-dd");
        runner.enableControllerService(writer);

        ProbingReaderFactory probingReader = new ProbingReaderFactory(reader, probe);
        runner.addControllerService("reader", probingReader);
        runner.enableControllerService(probingReader);
        ProbingWriterFactory probingWriter = new ProbingWriterFactory(writer, probe);
        runner.addControllerService("writer", probingWriter);
        runner.enableControllerService(probingWriter);

        runner.setProperty(ExecuteRestrictedPython.RECORD_READER, "reader");
        runner.setProperty(ExecuteRestrictedPython.RECORD_WRITER, "writer");
    }

    /** Every output record, in order: ids 0..RECORDS-1 with the values the statement computes. */
    private static void assertOutput(MockFlowFile output, int records, int seen) throws IOException {
        int[] count = {0};
        forEachRecord(output.toByteArray(), i -> count[0]++, (i, node) -> {
            assertEquals(i, node.get("id").asLong(), "record " + i + " in order");
            if (i == 0 || i == 1 || i == records / 2 || i == records - 1) {
                assertEquals("NAME-" + i, node.get("name").asText());
                assertEquals(price(i) * qty(i), node.get("total").asDouble(), 0.0);
                assertEquals(!active(i), node.get("active").asBoolean());
                assertEquals(day(i).toString(), node.get("day").asText());
                assertEquals(seen, node.get("seen").asInt());
                assertEquals(6, node.size(), "fields of record " + i);
            }
        });
        assertEquals(records, count[0], "records in the output");
    }

    interface RecordCheck {
        void check(int index, JsonNode record);
    }

    private static void forEachRecord(byte[] json, IntConsumer counter, RecordCheck check) throws IOException {
        try (JsonParser parser = JSON.getFactory().createParser(json)) {
            assertEquals(JsonToken.START_ARRAY, parser.nextToken());
            int index = 0;
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                JsonNode node = JSON.readTree(parser);
                check.check(index, node);
                counter.accept(index++);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ probing services

    /** Counts records read and written (single-threaded: the processor runs on the test thread). */
    static final class Probe {
        long read;
        long written;
        long maxInFlight;
        long baseline;
        long maxLive;

        void start() {
            read = 0;
            written = 0;
            maxInFlight = 0;
            baseline = liveHeap();
            maxLive = baseline;
        }

        void onRead() {
            read++;
            maxInFlight = Math.max(maxInFlight, read - written);
            if (read % SAMPLE_EVERY == 0) {
                sample();
            }
        }

        void onWrite() {
            written++;
            if (written % SAMPLE_EVERY == 0) {
                sample();
            }
        }

        void sample() {
            maxLive = Math.max(maxLive, liveHeap());
        }

        private static long liveHeap() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /** NiFi's JSON reader, counting every record handed out. */
    static final class ProbingReaderFactory extends AbstractControllerService implements RecordReaderFactory {
        private final RecordReaderFactory delegate;
        private final Probe probe;

        ProbingReaderFactory(RecordReaderFactory delegate, Probe probe) {
            this.delegate = delegate;
            this.probe = probe;
        }

        @Override
        public RecordReader createRecordReader(Map<String, String> variables, InputStream in, long inputLength,
                                               ComponentLog logger)
                throws MalformedRecordException, IOException, SchemaNotFoundException {
            RecordReader reader = delegate.createRecordReader(variables, in, inputLength, logger);
            return new RecordReader() {
                @Override
                public Record nextRecord(boolean coerceTypes, boolean dropUnknownFields)
                        throws IOException, MalformedRecordException {
                    Record record = reader.nextRecord(coerceTypes, dropUnknownFields);
                    if (record != null) {
                        probe.onRead();
                    }
                    return record;
                }

                @Override
                public RecordSchema getSchema() throws MalformedRecordException {
                    return reader.getSchema();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }
    }

    /** NiFi's JSON writer, counting every record written; the schema is the delegate's (inherited or its own). */
    static final class ProbingWriterFactory extends AbstractControllerService implements RecordSetWriterFactory {
        private final RecordSetWriterFactory delegate;
        private final Probe probe;

        ProbingWriterFactory(RecordSetWriterFactory delegate, Probe probe) {
            this.delegate = delegate;
            this.probe = probe;
        }

        @Override
        public RecordSchema getSchema(Map<String, String> variables, RecordSchema readSchema)
                throws SchemaNotFoundException, IOException {
            return delegate.getSchema(variables, readSchema);
        }

        @Override
        public RecordSetWriter createWriter(ComponentLog logger, RecordSchema schema, OutputStream out,
                                            Map<String, String> variables) throws SchemaNotFoundException, IOException {
            RecordSetWriter writer = delegate.createWriter(logger, schema, out, variables);
            return new RecordSetWriter() {
                @Override
                public WriteResult write(RecordSet recordSet) throws IOException {
                    throw new UnsupportedOperationException("the processor writes record by record");
                }

                @Override
                public void beginRecordSet() throws IOException {
                    writer.beginRecordSet();
                }

                @Override
                public WriteResult finishRecordSet() throws IOException {
                    return writer.finishRecordSet();
                }

                @Override
                public WriteResult write(Record record) throws IOException {
                    WriteResult result = writer.write(record);
                    probe.onWrite();
                    return result;
                }

                @Override
                public String getMimeType() {
                    return writer.getMimeType();
                }

                @Override
                public void flush() throws IOException {
                    writer.flush();
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    }
}
