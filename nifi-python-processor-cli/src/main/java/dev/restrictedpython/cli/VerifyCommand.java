package dev.restrictedpython.cli;

import org.apache.nifi.components.ConfigVerificationResult;
import org.apache.nifi.components.ConfigVerificationResult.Outcome;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code restricted-python verify}: NiFi's Verify (the seed's "Debug script") on the same options as {@code run}.
 * {@code --input} is the Debug Input property, a JSON array of records; each verification step is printed as
 * NiFi lists it.
 */
final class VerifyCommand extends RunOptionsCommand {

    @Override
    String usage() {
        return Usage.VERIFY;
    }

    @Override
    int execute(RunOptions options, InputStream stdin, PrintStream out, PrintStream err) throws UsageException {
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
        boolean failed = false;
        for (ConfigVerificationResult result : harness.verify(debugInput, options.attributes())) {
            out.println(result.getOutcome() + "  " + result.getVerificationStepName() + ": "
                    + result.getExplanation());
            failed |= result.getOutcome() == Outcome.FAILED;
        }
        return failed ? RestrictedPythonCommand.EXIT_STATEMENT_FAILED : RestrictedPythonCommand.EXIT_OK;
    }
}
