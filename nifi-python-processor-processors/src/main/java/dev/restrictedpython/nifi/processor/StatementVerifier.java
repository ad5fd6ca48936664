package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.runtime.PythonStatement;
import dev.restrictedpython.nifi.runtime.RunInput;
import dev.restrictedpython.nifi.runtime.StatementException;
import dev.restrictedpython.nifi.runtime.StatementLog;
import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;
import org.apache.nifi.components.state.Scope;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.scheduling.ExecutionNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's "Debug script" as NiFi verification: compiles the statement in a real sandbox (dialect errors with
 * their line), checks cluster settings, and dry-runs the statement on the Debug Input records, reporting what it
 * returned, what it logged and how long it took. Touches neither state nor FlowFiles.
 */
final class StatementVerifier {

    static final String COMPILE_STEP = "Compile Statement";
    static final String CLUSTER_STEP = "Check Cluster Settings";
    static final String DRY_RUN_STEP = "Dry Run on Debug Input";

    private static final int MAX_SHOWN_CHARS = 4000;

    private StatementVerifier() {
    }

    static List<ConfigVerificationResult> verify(ProcessContext context, Map<String, String> attributes) {
        List<ConfigVerificationResult> results = new ArrayList<>();
        StatementInputs inputs = new StatementInputs(context);
        StatementInputs.Evaluated evaluated = inputs.evaluate(attributes);
        results.add(clusterSettings(context, inputs));
        PythonStatement statement;
        try {
            statement = PythonStatement.compile(context.getProperty(ExecuteRestrictedPython.STATEMENT).getValue(),
                    ExecuteRestrictedPython.sandboxSettings(context));
        } catch (StatementException e) {
            results.add(result(COMPILE_STEP, Outcome.FAILED, evaluated.masker().mask(e.failure().describe())));
            results.add(result(DRY_RUN_STEP, Outcome.SKIPPED, "The statement does not compile"));
            return results;
        }
        try (statement) {
            results.add(result(COMPILE_STEP, Outcome.SUCCESSFUL,
                    "The statement follows the restricted dialect and compiled in a sandboxed context"));
            results.add(dryRun(context, statement, inputs, evaluated, attributes));
        }
        return results;
    }

    private static ConfigVerificationResult clusterSettings(ProcessContext context, StatementInputs inputs) {
        boolean source = !context.hasIncomingConnection();
        if (!source || inputs.checkpointColumn() == null) {
            return result(CLUSTER_STEP, Outcome.SUCCESSFUL, "Nothing here depends on which node runs the processor");
        }
        if (context.getExecutionNode() == ExecutionNode.PRIMARY) {
            return result(CLUSTER_STEP, Outcome.SUCCESSFUL, "Source mode with a data checkpoint runs on the primary node only");
        }
        return result(CLUSTER_STEP, Outcome.FAILED, "Source mode with a Data Checkpoint Column keeps one checkpoint for "
                + "the whole cluster: set Execution to 'Primary node' so that a single node runs the statement");
    }

    private static ConfigVerificationResult dryRun(ProcessContext context, PythonStatement statement,
                                                   StatementInputs inputs, StatementInputs.Evaluated evaluated,
                                                   Map<String, String> attributes) {
        String debugInput = context.getProperty(ExecuteRestrictedPython.DEBUG_INPUT).getValue();
        RunInput runInput = new RunInput(inputs.checkpoint(readState(context)), attributes, evaluated.properties());
        ProcessingMode mode = context.getProperty(ExecuteRestrictedPython.PROCESSING_MODE).asAllowableValue(ProcessingMode.class);
        boolean rowByRow = mode == ProcessingMode.ROW_BY_ROW && debugInput != null;
        boolean includeInput = rowByRow && context.getProperty(ExecuteRestrictedPython.INCLUDE_INPUT_FIELDS).asBoolean();
        List<String> logLines = new ArrayList<>();
        StatementLog log = (level, message, line) -> logLines.add(level.name().toLowerCase()
                + (line == null ? "" : " (line " + line + ")") + ": " + evaluated.masker().mask(message));
        long start = System.nanoTime();
        try {
            PythonStatement.DryRun dryRun = statement.dryRun(debugInput, runInput, rowByRow, includeInput, log);
            long millis = (System.nanoTime() - start) / 1_000_000;
            return result(DRY_RUN_STEP, Outcome.SUCCESSFUL, "Returned " + dryRun.recordCount() + " record(s) in "
                    + millis + " ms" + (debugInput == null ? " with no Debug Input (as a source run)" : "")
                    + ": " + shorten(evaluated.masker().mask(dryRun.recordsJson())) + logSummary(logLines));
        } catch (StatementException e) {
            return result(DRY_RUN_STEP, Outcome.FAILED, evaluated.masker().mask(e.failure().describe()) + logSummary(logLines));
        }
    }

    private static Map<String, String> readState(ProcessContext context) {
        try {
            return context.getStateManager().getState(Scope.CLUSTER).toMap();
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    private static String logSummary(List<String> logLines) {
        return logLines.isEmpty() ? "" : ". Log: " + shorten(String.join(" | ", logLines));
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }

    private static ConfigVerificationResult result(String step, Outcome outcome, String explanation) {
        return new ConfigVerificationResult.Builder()
                .verificationStepName(step)
                .outcome(outcome)
                .explanation(explanation)
                .build();
    }

}
