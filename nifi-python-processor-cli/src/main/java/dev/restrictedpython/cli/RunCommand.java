package dev.restrictedpython.cli;

import org.apache.nifi.flowfile.attributes.CoreAttributes;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code restricted-python run}: one trigger of the processor (DESIGN.md section 5). */
final class RunCommand extends RunOptionsCommand {

    @Override
    String usage() {
        return Usage.RUN;
    }

    @Override
    int execute(RunOptions options, InputStream stdin, PrintStream out, PrintStream err) throws UsageException {
        String statement = new String(read("--statement", options.statement(), stdin), StandardCharsets.UTF_8);
        byte[] input = options.sourceMode() ? null : read("--input", options.input(), stdin);
        Map<String, String> state = options.stateFile() == null ? Map.of() : StateFile.read(options.stateFile());

        ProcessorHarness harness = ProcessorHarness.configure(options, statement, state);
        RunResult result = harness.run(input, attributes(options));

        int status = RunReport.print(result, out, err);
        if (options.stateFile() != null) {
            try {
                StateFile.write(options.stateFile(), result.state());
            } catch (IOException e) {
                throw new UsageException("--state: cannot write " + options.stateFile() + ": " + e.getMessage());
            }
        }
        return status;
    }

    /** The bytes of a file argument, or of standard input for {@code -}. */
    static byte[] read(String option, String file, InputStream stdin) throws UsageException {
        try {
            if (file.equals(RunOptions.STDIN)) {
                return stdin.readAllBytes();
            }
            Path path = Path.of(file);
            if (Files.isDirectory(path)) {
                throw new UsageException(option + ": " + file + " is a directory");
            }
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new UsageException(option + ": no such file: " + file);
        } catch (IOException e) {
            throw new UsageException(option + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The incoming FlowFile's attributes: {@code filename} as NiFi's file sources set it, then {@code --attribute}. */
    private static Map<String, String> attributes(RunOptions options) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (options.input() != null && !options.input().equals(RunOptions.STDIN)) {
            Path fileName = Path.of(options.input()).getFileName();
            if (fileName != null) {
                attributes.put(CoreAttributes.FILENAME.key(), fileName.toString());
            }
        }
        attributes.putAll(options.attributes());
        return attributes;
    }
}
