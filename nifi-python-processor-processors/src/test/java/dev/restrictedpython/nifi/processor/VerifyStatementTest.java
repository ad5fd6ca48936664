package dev.restrictedpython.nifi.processor;

import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.util.TestRunner;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.jsonRunner;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerifyStatementTest {

    private static Map<String, ConfigVerificationResult> verify(TestRunner runner, Map<String, String> attributes) {
        List<ConfigVerificationResult> results = ((ExecuteRestrictedPython) runner.getProcessor())
                .verify(runner.getProcessContext(), runner.getLogger(), attributes);
        return results.stream().collect(java.util.stream.Collectors.toMap(
                ConfigVerificationResult::getVerificationStepName, result -> result));
    }

    @Test
    void dialectErrorIsReportedWithTheUsersLine() {
        TestRunner runner = jsonRunner("x = 1\ntotal: int = 2\nreturn []");
        Map<String, ConfigVerificationResult> results = verify(runner, Map.of());
        ConfigVerificationResult compile = results.get(StatementVerifier.COMPILE_STEP);
        assertEquals(Outcome.FAILED, compile.getOutcome());
        assertEquals("SyntaxError: type hints are not supported in restricted Python; remove the annotation (line 2)",
                compile.getExplanation());
        assertEquals(Outcome.SKIPPED, results.get(StatementVerifier.DRY_RUN_STEP).getOutcome());
    }

    @Test
    void dryRunReportsRecordsLogLinesAndTime() {
        TestRunner runner = jsonRunner("""
                row = INPUT_DATA[0]
                log.info('seen ' + str(row['id']) + ' for ' + ATTRIBUTES['source'])
                return [{'id': row['id'], 'double': row['n'] * 2}]
                """);
        runner.setProperty(ExecuteRestrictedPython.DEBUG_INPUT, "[{\"id\": 1, \"n\": 2}, {\"id\": 2, \"n\": 5}]");
        ConfigVerificationResult dryRun = verify(runner, Map.of("source", "test")).get(StatementVerifier.DRY_RUN_STEP);
        assertEquals(Outcome.SUCCESSFUL, dryRun.getOutcome(), dryRun.getExplanation());
        String explanation = dryRun.getExplanation();
        assertTrue(explanation.startsWith("Returned 2 record(s) in "), explanation);
        assertTrue(explanation.contains("[{\"id\": 1, \"double\": 4}, {\"id\": 2, \"double\": 10}]"), explanation);
        assertTrue(explanation.contains("info (line 2): seen 1 for test | info (line 2): seen 2 for test"), explanation);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 0);
    }

    @Test
    void dryRunFailureShowsTheLine() {
        TestRunner runner = jsonRunner("rows = INPUT_DATA\n\nreturn [{'x': rows[0]['missing']}]");
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, ProcessingMode.BULK.getValue());
        runner.setProperty(ExecuteRestrictedPython.DEBUG_INPUT, "[{\"id\": 1}]");
        ConfigVerificationResult dryRun = verify(runner, Map.of()).get(StatementVerifier.DRY_RUN_STEP);
        assertEquals(Outcome.FAILED, dryRun.getOutcome());
        assertEquals("KeyError: 'missing' (line 3)", dryRun.getExplanation());
    }

    @Test
    void badDebugInputIsExplained() {
        TestRunner runner = jsonRunner("return INPUT_DATA");
        runner.setProperty(ExecuteRestrictedPython.DEBUG_INPUT, "{\"not\": \"an array\"}");
        ConfigVerificationResult dryRun = verify(runner, Map.of()).get(StatementVerifier.DRY_RUN_STEP);
        assertEquals(Outcome.FAILED, dryRun.getOutcome());
        assertEquals("TypeError: Debug Input must be a JSON array of objects", dryRun.getExplanation());
    }

    @Test
    void sourceModeWithACheckpointAsksForThePrimaryNode() {
        TestRunner runner = jsonRunner("return [{'id': (DATA_CHECKPOINT or 0) + 1}]");
        runner.setIncomingConnection(false);
        runner.setProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN, "id");
        runner.setProperty(ExecuteRestrictedPython.INITIAL_DATA_CHECKPOINT, "41");
        Map<String, ConfigVerificationResult> results = verify(runner, Map.of());
        ConfigVerificationResult cluster = results.get(StatementVerifier.CLUSTER_STEP);
        assertEquals(Outcome.FAILED, cluster.getOutcome());
        assertTrue(cluster.getExplanation().contains("Primary node"), cluster.getExplanation());
        ConfigVerificationResult dryRun = results.get(StatementVerifier.DRY_RUN_STEP);
        assertTrue(dryRun.getExplanation().contains("[{\"id\": 42}]"), dryRun.getExplanation());
        runner.getStateManager().assertStateNotSet(CheckpointState.VALUE_KEY, org.apache.nifi.components.state.Scope.CLUSTER);
    }
}
