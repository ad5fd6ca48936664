package dev.restrictedpython.nifi.processor;

import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;

import java.nio.charset.StandardCharsets;

/** Runners for ExecuteRestrictedPython wired to NiFi's real JSON and CSV record services. */
final class ProcessorTestSupport {

    private ProcessorTestSupport() {
    }

    static TestRunner jsonRunner(String statement) {
        return jsonRunner(new ExecuteRestrictedPython(), statement);
    }

    static TestRunner jsonRunner(ExecuteRestrictedPython processor, String statement) {
        return runner(processor, new JsonTreeReader(), new JsonRecordSetWriter(), statement);
    }

    static TestRunner csvRunner(String statement) {
        return runner(new ExecuteRestrictedPython(), new CSVReader(), new CSVRecordSetWriter(), statement);
    }

    private static TestRunner runner(ExecuteRestrictedPython processor, ControllerService reader,
                                     ControllerService writer, String statement) {
        TestRunner runner = TestRunners.newTestRunner(processor);
        try {
            runner.addControllerService("reader", reader);
            runner.enableControllerService(reader);
            runner.addControllerService("writer", writer);
            runner.enableControllerService(writer);
        } catch (InitializationException e) {
            throw new IllegalStateException(e);
        }
        runner.setProperty(ExecuteRestrictedPython.RECORD_READER, "reader");
        runner.setProperty(ExecuteRestrictedPython.RECORD_WRITER, "writer");
        runner.setProperty(ExecuteRestrictedPython.STATEMENT, statement);
        return runner;
    }

    static String content(MockFlowFile flowFile) {
        return new String(flowFile.toByteArray(), StandardCharsets.UTF_8);
    }

    /** JSON text without the whitespace the writer may put in, so tests compare values, not layout. */
    static String compact(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
