package dev.restrictedpython.nifi.processor;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.util.LogMessage;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.compact;
import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.content;
import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.csvRunner;
import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.jsonRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecuteRestrictedPythonTest {

    private static final String ORDERS = """
            [{"id": 1, "price": 2.5, "qty": 4, "name": "apple"},
             {"id": 2, "price": 10.0, "qty": 1, "name": "pear"},
             {"id": 3, "price": 1.25, "qty": 8, "name": "fig"}]""";

    private static final String TOTALS = """
            result = []
            for row in INPUT_DATA:
                result.append({"id": row["id"], "total": row["price"] * row["qty"], "runs": len(INPUT_DATA)})
            return result
            """;

    @Test
    void rowByRowRunsOncePerRecord() {
        TestRunner runner = jsonRunner(TOTALS);
        runner.enqueue(ORDERS);
        runner.run();
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 1);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_ORIGINAL, 1);
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertEquals("[{\"id\":1,\"total\":10.0,\"runs\":1},{\"id\":2,\"total\":10.0,\"runs\":1},"
                + "{\"id\":3,\"total\":10.0,\"runs\":1}]", compact(content(out)));
        out.assertAttributeEquals("record.count", "3");
        out.assertAttributeEquals("mime.type", "application/json");
    }

    @Test
    void bulkRunsOncePerFlowFileOnTheSameData() {
        TestRunner runner = jsonRunner(TOTALS);
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.enqueue(ORDERS);
        runner.run();
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertEquals("[{\"id\":1,\"total\":10.0,\"runs\":3},{\"id\":2,\"total\":10.0,\"runs\":3},"
                + "{\"id\":3,\"total\":10.0,\"runs\":3}]", compact(content(out)));
    }

    @Test
    void includeInputFieldsLaysOutputOverInput() {
        TestRunner runner = jsonRunner("return [{\"total\": INPUT_DATA[0][\"price\"] * INPUT_DATA[0][\"qty\"], \"name\": \"x\"}]");
        runner.setProperty(ExecuteRestrictedPython.INCLUDE_INPUT_FIELDS, "true");
        runner.enqueue(ORDERS);
        runner.run();
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertTrue(compact(content(out)).startsWith("[{\"id\":1,\"price\":2.5,\"qty\":4,\"name\":\"x\",\"total\":10.0}"),
                content(out));
    }

    @Test
    void filterDropsRecords() {
        TestRunner runner = jsonRunner("row = INPUT_DATA[0]\nreturn [row] if row['qty'] > 1 else []");
        runner.enqueue(ORDERS);
        runner.run();
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        out.assertAttributeEquals("record.count", "2");
        assertFalse(content(out).contains("pear"));
    }

    @Test
    void sourceModeMakesAFlowFileFromTheSeedExample() {
        TestRunner runner = jsonRunner("""
                users = [
                    { "name": "Alice" },
                    { "name": "Bob" },
                    { "name": "Charlie" },
                ]
                return users
                """);
        runner.setIncomingConnection(false);
        runner.run();
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertEquals("[{\"name\":\"Alice\"},{\"name\":\"Bob\"},{\"name\":\"Charlie\"}]", compact(content(out)));
    }

    @Test
    void sourceModeWithNothingReturnedMakesNoFlowFile() {
        TestRunner runner = jsonRunner("return [] if INPUT_DATA == [] else [{'unexpected': 1}]");
        runner.setIncomingConnection(false);
        runner.run();
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 0);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_FAILURE, 0);
    }

    @Test
    void checkpointAdvancesOverRunsAndHoldsOnEmptyOutputAndFailure() {
        TestRunner runner = jsonRunner("""
                if PROPERTIES["behaviour"] == "fail":
                    raise ValueError("boom")
                if PROPERTIES["behaviour"] == "empty":
                    return []
                start = DATA_CHECKPOINT
                return [{"id": start + i, "kind": type(start).__name__} for i in range(1, 4)]
                """);
        runner.setIncomingConnection(false);
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "id");
        runner.setProperty(ExecuteRestrictedPython.INITIAL_DATA_CHECKPOINT, "10");
        runner.setProperty("behaviour", "emit");
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "13", Scope.CLUSTER);
        runner.getStateManager().assertStateEquals(CheckpointState.TYPE_KEY, "int", Scope.CLUSTER);

        runner.setProperty("behaviour", "empty");
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "13", Scope.CLUSTER);

        runner.setProperty("behaviour", "fail");
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "13", Scope.CLUSTER);

        runner.setProperty("behaviour", "emit");
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "16", Scope.CLUSTER);
        List<MockFlowFile> outputs = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS);
        assertEquals(2, outputs.size());
        assertEquals("[{\"id\":14,\"kind\":\"int\"},{\"id\":15,\"kind\":\"int\"},{\"id\":16,\"kind\":\"int\"}]",
                compact(content(outputs.get(1))));
    }

    /** In bulk mode with an inheriting writer the schema is inferred as the items cross and they are written
     *  from arrays, not maps: the checkpoint is still the last item written, and the output holds every item in
     *  order. */
    @Test
    void bulkCheckpointIsTheLastItemWritten() {
        TestRunner runner = jsonRunner("return sorted(({'id': row['id'] * 10, 'name': row['name']} for row in INPUT_DATA),"
                + " key=lambda item: -item['id'])");
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "id");
        runner.enqueue(ORDERS);
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "10", Scope.CLUSTER);
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertEquals("[{\"id\":30,\"name\":\"fig\"},{\"id\":20,\"name\":\"pear\"},{\"id\":10,\"name\":\"apple\"}]",
                compact(content(out)));
        out.assertAttributeEquals("record.count", "3");
    }

    @Test
    void checkpointKeepsItsTypeAcrossRuns() {
        TestRunner runner = jsonRunner("""
                import datetime
                if DATA_CHECKPOINT is None:
                    return [{"at": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)}]
                return [{"at": DATA_CHECKPOINT + datetime.timedelta(days=1), "seen": type(DATA_CHECKPOINT).__name__}]
                """);
        runner.setIncomingConnection(false);
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "at");
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.TYPE_KEY, "datetime", Scope.CLUSTER);
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "2024-01-02T03:04:05Z", Scope.CLUSTER);
        runner.run();
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "2024-01-03T03:04:05Z", Scope.CLUSTER);
        assertTrue(compact(content(runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).get(1)))
                .contains("\"seen\":\"datetime\""));
    }

    @Test
    void statementErrorRoutesTheInputUnchangedWithTheLine() {
        TestRunner runner = jsonRunner("row = INPUT_DATA[0]\nvalue = row['missing']\nreturn [row]");
        runner.enqueue(ORDERS);
        runner.run();
        runner.assertAllFlowFilesTransferred(ExecuteRestrictedPython.REL_FAILURE, 1);
        MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
        failed.assertContentEquals(ORDERS);
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "KeyError");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, "'missing'");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_LINE_ATTRIBUTE, "2");
        String logged = runner.getLogger().getErrorMessages().getFirst().getMsg();
        assertTrue(logged.contains("KeyError: 'missing' (line 2)"), logged);
        assertFalse(logged.contains("at org."), logged);
    }

    @Test
    void logErrorFailsTheRunAfterItEnds() {
        TestRunner runner = jsonRunner("log.info('starting')\nlog.error('bad data')\nlog.warn('still ran')\nreturn INPUT_DATA");
        runner.enqueue(ORDERS);
        runner.run();
        MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "log.error");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, "bad data");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_LINE_ATTRIBUTE, "2");
        assertTrue(runner.getLogger().getInfoMessages().stream().anyMatch(m -> m.getMsg().contains("line 1: starting")));
        assertTrue(runner.getLogger().getWarnMessages().stream().anyMatch(m -> m.getMsg().contains("line 3: still ran")));
    }

    @Test
    void awaitSleepWorks() {
        TestRunner runner = jsonRunner("await sleep(0.05)\nreturn [{'slept': True}]");
        runner.setIncomingConnection(false);
        runner.run();
        assertEquals("[{\"slept\":true}]",
                compact(content(runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst())));
    }

    @Test
    void wrongReturnTypesSayWhatWasReturned() {
        Map<String, String> cases = Map.of(
                "return 5", "the statement returned int; it must return a list of objects",
                "x = 1", "the statement returned None; it must return a list of objects",
                "return [{'a': 1}, {'b': 2}, {'c': 3}, 'text']", "item 3 is str; each item must be an object (dict)");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            TestRunner runner = jsonRunner(entry.getKey());
            runner.enqueue(ORDERS);
            runner.run();
            MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
            failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "TypeError");
            failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, entry.getValue());
        }
    }

    @Test
    void readerFailureGoesToFailureWithTheReadersMessage() {
        TestRunner runner = jsonRunner("return INPUT_DATA");
        runner.enqueue("[{\"id\": 1}, {\"id\": ");
        runner.run();
        MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "RecordReaderError");
        assertTrue(failed.getAttribute(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE).startsWith("cannot read the records"));
        failed.assertContentEquals("[{\"id\": 1}, {\"id\": ");
    }

    @Test
    void attributesAndPropertiesReachTheStatement() {
        TestRunner runner = jsonRunner("return [{'who': ATTRIBUTES['owner'], 'greeting': PROPERTIES['greeting']}]");
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.setProperty("greeting", "hello ${owner}");
        runner.enqueue("[{\"a\": 1}]", Map.of("owner", "ann"));
        runner.run();
        assertEquals("[{\"who\":\"ann\",\"greeting\":\"hello ann\"}]",
                compact(content(runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst())));
    }

    /**
     * NiFi's framework marks a dynamic property sensitive by rebuilding its descriptor with sensitive(true); the mock
     * framework does not, so this subclass does what the framework does for names starting with "secret".
     */
    public static class WithSensitiveDynamicProperties extends ExecuteRestrictedPython {
        @Override
        protected PropertyDescriptor getSupportedDynamicPropertyDescriptor(String name) {
            PropertyDescriptor descriptor = super.getSupportedDynamicPropertyDescriptor(name);
            return name.startsWith("secret")
                    ? new PropertyDescriptor.Builder().fromPropertyDescriptor(descriptor).sensitive(true).build()
                    : descriptor;
        }
    }

    @Test
    void sensitivePropertyValuesAreMaskedEverywhere() {
        TestRunner runner = jsonRunner(new WithSensitiveDynamicProperties(), """
                log.warn('key is ' + PROPERTIES['secret key'])
                print('printing', PROPERTIES['secret key'])
                raise ValueError('bad key ' + PROPERTIES['secret key'])
                """);
        runner.setProperty("secret key", "s3cr3t-value");
        runner.enqueue(ORDERS);
        runner.run();
        MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE, "bad key ********");
        List<LogMessage> messages = Stream.of(runner.getLogger().getInfoMessages(), runner.getLogger().getWarnMessages(),
                runner.getLogger().getErrorMessages()).flatMap(List::stream).toList();
        assertTrue(messages.stream().anyMatch(m -> m.getMsg().contains("key is ********")), messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.getMsg().contains("printing ********")), messages.toString());
        for (LogMessage message : messages) {
            assertFalse(message.getMsg().contains("s3cr3t") || Arrays.toString(message.getArgs()).contains("s3cr3t"),
                    message.getMsg());
        }
        failed.getAttributes().values().forEach(value -> assertFalse(value.contains("s3cr3t"), value));
    }

    @Test
    void csvInCsvOut() {
        TestRunner runner = csvRunner("row = INPUT_DATA[0]\nreturn [{'name': row['name'].upper(), 'n': len(row['name'])}]");
        runner.enqueue("name,city\nann,oslo\nbob,rome\n");
        runner.run();
        MockFlowFile out = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
        assertEquals("name,n\nANN,3\nBOB,3\n", content(out));
    }

    @Test
    void twoProcessorsDoNotShareGlobals() {
        String statement = """
                import json
                previous = getattr(json, 'marker', None)
                json.marker = PROPERTIES['me']
                return [{'previous': previous}]
                """;
        TestRunner first = jsonRunner(statement);
        TestRunner second = jsonRunner(statement);
        first.setIncomingConnection(false);
        second.setIncomingConnection(false);
        first.setProperty("me", "first");
        second.setProperty("me", "second");
        first.run(1, false, true);
        second.run(1, false, true);
        first.run(1, true, false);
        second.run(1, true, false);
        assertEquals("[{\"previous\":null}]", compact(content(first.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).get(0))));
        assertEquals("[{\"previous\":null}]", compact(content(second.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).get(0))));
        assertEquals("[{\"previous\":\"first\"}]", compact(content(first.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).get(1))));
        assertEquals("[{\"previous\":\"second\"}]", compact(content(second.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).get(1))));
    }

    @Test
    void concurrentTasksNeverSeeEachOthersRun() {
        // each run leaves its FlowFile's number in module state, sleeps, and reads it back: a context shared by two
        // tasks at once would read the other run's number; each context counts the runs it served
        TestRunner runner = jsonRunner("""
                import json, time
                json.current = ATTRIBUTES['n']
                json.runs = getattr(json, 'runs', 0) + 1
                time.sleep(0.02)
                return [{'n': ATTRIBUTES['n'], 'seen': json.current, 'runs': json.runs}]
                """);
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.setThreadCount(2);
        int flowFiles = 40;
        for (int n = 0; n < flowFiles; n++) {
            runner.enqueue("[{\"x\": 1}]", Map.of("n", String.valueOf(n)));
        }
        runner.run(flowFiles);

        List<MockFlowFile> outputs = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS);
        assertEquals(flowFiles, outputs.size());
        int mostRunsInOneContext = 0;
        for (MockFlowFile output : outputs) {
            String record = compact(content(output));
            String n = output.getAttribute("n");
            assertTrue(record.contains("\"n\":\"" + n + "\",\"seen\":\"" + n + "\""), record);
            mostRunsInOneContext = Math.max(mostRunsInOneContext,
                    Integer.parseInt(record.replaceAll(".*\"runs\":(\\d+).*", "$1")));
        }
        assertTrue(mostRunsInOneContext < flowFiles, "two contexts served the two tasks");
    }

    @Test
    void checkpointDoesNotMoveWhenWritingTheOutputFailsAfterTheStatementSucceeded() throws Exception {
        TestRunner runner = jsonRunner("return [{'id': 5, 'amount': '1.5'}, {'id': 6, 'amount': 'not a number'}]");
        org.apache.nifi.json.JsonRecordSetWriter writer = new org.apache.nifi.json.JsonRecordSetWriter();
        runner.addControllerService("typed-writer", writer);
        runner.setProperty(writer, org.apache.nifi.schema.access.SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY,
                org.apache.nifi.schema.access.SchemaAccessUtils.SCHEMA_TEXT_PROPERTY);
        runner.setProperty(writer, org.apache.nifi.schema.access.SchemaAccessUtils.SCHEMA_TEXT, """
                {"type": "record", "name": "out", "fields": [
                  {"name": "id", "type": "long"},
                  {"name": "amount", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}]}
                """);
        runner.enableControllerService(writer);
        runner.setProperty(ExecuteRestrictedPython.RECORD_WRITER, "typed-writer");
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "id");
        runner.getStateManager().setState(Map.of(CheckpointState.VALUE_KEY, "4", CheckpointState.TYPE_KEY, "int"),
                Scope.CLUSTER);
        runner.enqueue(ORDERS);
        runner.run();
        runner.assertAllFlowFilesTransferred(ExecuteRestrictedPython.REL_FAILURE, 1);
        MockFlowFile failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "TypeError");
        assertTrue(failed.getAttribute(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE).startsWith("item 1, field 'amount'"),
                failed.getAttribute(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE));
        failed.assertContentEquals(ORDERS);
        runner.getStateManager().assertStateEquals(CheckpointState.VALUE_KEY, "4", Scope.CLUSTER);
    }
}
