package dev.restrictedpython.cli;

import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code restricted-python verify}: NiFi's Verify (the seed's "Debug script") on the same options as {@code run}.
 * {@code --input} is the Debug Input property, a JSON array of records; each verification step is printed as
 * NiFi lists it.
 */
final class VerifyCommand implements RestrictedPythonCommand.Subcommand {

    @Override
    public int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        RunOptions options;
        try {
            options = RunArguments.parse(args);
        } catch (RunArguments.HelpRequested help) {
            out.print(Usage.VERIFY);
            return RestrictedPythonCommand.EXIT_OK;
        } catch (UsageException e) {
            return RunReport.usageError(e.getMessage(), err);
        }
        try {
            if (options.inputFormat() == RunOptions.RecordFormat.CSV) {
                throw new UsageException("--input-format: verify reads --input as the Debug Input property, a JSON "
                        + "array of records");
            }
            String statement = new String(RunCommand.read("--statement", options.statement(), stdin),
                    StandardCharsets.UTF_8);
            String debugInput = options.sourceMode() ? null
                    : new String(RunCommand.read("--input", options.input(), stdin), StandardCharsets.UTF_8);
            Map<String, String> state = options.stateFile() == null ? Map.of() : StateFile.read(options.stateFile());

            ProcessorHarness harness = ProcessorHarness.configure(options, statement, state);
            List<ConfigVerificationResult> results = harness.verify(debugInput, options.attributes());
            boolean failed = false;
            for (ConfigVerificationResult result : results) {
                out.println(result.getOutcome() + "  " + result.getVerificationStepName() + ": "
                        + result.getExplanation());
                failed |= result.getOutcome() == Outcome.FAILED;
            }
            return failed ? RestrictedPythonCommand.EXIT_STATEMENT_FAILED : RestrictedPythonCommand.EXIT_OK;
        } catch (UsageException e) {
            return RunReport.usageError(e.getMessage(), err);
        }
    }
}
