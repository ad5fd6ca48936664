package dev.restrictedpython.cli;

import dev.restrictedpython.nifi.processor.ExecuteRestrictedPython;
import dev.restrictedpython.nifi.processor.ProcessingMode;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bench contender: a processor in NiFi's mock framework with NiFi's JSON reader and writer (schema inferred by
 * the reader, inherited by the writer, compact output). Triggers call {@code onTrigger} as NiFi's scheduler does, on
 * the calling thread, so the times hold the processor's work and not the mock's per-call set-up.
 */
final class BenchTarget implements AutoCloseable {

    /** Ids for the bench's input FlowFiles, far above those the mock session gives the FlowFiles it creates. */
    private static final AtomicLong INPUT_IDS = new AtomicLong(1L << 40);

    private final String name;
    private final TestRunner runner;
    private final Processor processor;
    private final Relationship success;
    private final Relationship failure;
    private boolean scheduled;

    private BenchTarget(String name, TestRunner runner, Processor processor, Relationship success, Relationship failure) {
        this.name = name;
        this.runner = runner;
        this.processor = processor;
        this.success = success;
        this.failure = failure;
    }

    /** NiFi's JSON reader straight into NiFi's JSON writer, no statement. */
    static BenchTarget copy() {
        CopyRecords processor = new CopyRecords();
        TestRunner runner = TestRunners.newTestRunner(processor);
        addServices(runner, CopyRecords.RECORD_READER.getName(), CopyRecords.RECORD_WRITER.getName());
        return new BenchTarget("copy", runner, processor, CopyRecords.REL_SUCCESS, null);
    }

    /** ExecuteRestrictedPython with the statement in the given mode, with {@code threads} concurrent tasks. */
    static BenchTarget statement(String name, String statement, ProcessingMode mode, int threads) {
        ExecuteRestrictedPython processor = new ExecuteRestrictedPython();
        TestRunner runner = TestRunners.newTestRunner(processor);
        runner.setValidateExpressionUsage(false);
        runner.setThreadCount(threads);
        runner.setProperty(ExecuteRestrictedPython.STATEMENT, statement);
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, mode);
        addServices(runner, ExecuteRestrictedPython.RECORD_READER.getName(), ExecuteRestrictedPython.RECORD_WRITER.getName());
        return new BenchTarget(name, runner, processor, ExecuteRestrictedPython.REL_SUCCESS,
                ExecuteRestrictedPython.REL_FAILURE);
    }

    private static void addServices(TestRunner runner, String readerProperty, String writerProperty) {
        add(runner, "reader", new JsonTreeReader());
        add(runner, "writer", new JsonRecordSetWriter());
        runner.setProperty(readerProperty, "reader");
        runner.setProperty(writerProperty, "writer");
        runner.assertValid();
    }

    private static void add(TestRunner runner, String id, ControllerService service) {
        try {
            runner.addControllerService(id, service);
        } catch (InitializationException e) {
            throw new IllegalStateException("cannot initialise " + service.getClass().getSimpleName(), e);
        }
        runner.enableControllerService(service);
    }

    String name() {
        return name;
    }

    /**
     * Schedules the processor ({@code @OnScheduled}: for the statement, its contexts are built and the statement
     * compiled) and runs one FlowFile through it. Returns the nanoseconds from scheduling to the FlowFile out.
     */
    long start(byte[] content, int expectedRecords) {
        runner.enqueue(input(content));
        long started = System.nanoTime();
        runner.run(1, false, true);
        long elapsed = System.nanoTime() - started;
        scheduled = true;
        check(1, expectedRecords);
        return elapsed;
    }

    /** One FlowFile through one trigger; returns its nanoseconds. */
    long trigger(byte[] content, int expectedRecords) {
        runner.enqueue(input(content));
        long started = System.nanoTime();
        processor.onTrigger(runner.getProcessContext(), runner.getProcessSessionFactory());
        long elapsed = System.nanoTime() - started;
        check(1, expectedRecords);
        return elapsed;
    }

    /** Every FlowFile queued, then triggered by the mock's scheduler with its thread count; returns the nanoseconds. */
    long triggerAll(List<byte[]> contents, int expectedRecords) {
        for (byte[] content : contents) {
            runner.enqueue(input(content));
        }
        long started = System.nanoTime();
        runner.run(contents.size(), false, false);
        long elapsed = System.nanoTime() - started;
        check(contents.size(), expectedRecords);
        return elapsed;
    }

    /**
     * An input FlowFile over the bench's own array. {@code enqueue(byte[])} copies the content through a growing
     * buffer: 16 MB per 100k-record FlowFile made ~40 MB of garbage outside the timed part, all of it in arrays large
     * enough for G1 to start a concurrent collection that then ran during the timed part.
     */
    private static MockFlowFile input(byte[] content) {
        MockFlowFile flowFile = new MockFlowFile(INPUT_IDS.getAndIncrement());
        flowFile.setData(content);
        return flowFile;
    }

    /** Fails unless every FlowFile came out with its records; then forgets them, so memory stays flat. */
    private void check(int expectedFlowFiles, int expectedRecords) {
        try {
            if (failure != null) {
                List<MockFlowFile> failed = runner.getFlowFilesForRelationship(failure);
                if (!failed.isEmpty()) {
                    MockFlowFile first = failed.getFirst();
                    throw new IllegalStateException(name + ": the statement failed: "
                            + first.getAttribute(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE) + ": "
                            + first.getAttribute(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE));
                }
            }
            List<MockFlowFile> out = runner.getFlowFilesForRelationship(success);
            long records = out.stream().mapToLong(flowFile -> Long.parseLong(flowFile.getAttribute("record.count"))).sum();
            if (out.size() != expectedFlowFiles || records != expectedRecords) {
                throw new IllegalStateException(name + ": expected " + expectedFlowFiles + " FlowFiles with "
                        + expectedRecords + " records, got " + out.size() + " with " + records);
            }
        } finally {
            runner.clearTransferState();
            runner.clearProvenanceEvents();
        }
    }

    boolean isScheduled() {
        return scheduled;
    }

    @Override
    public void close() {
        if (scheduled) {
            scheduled = false;
            runner.unSchedule();
            runner.stop();
        }
    }
}
