package dev.restrictedpython.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every exit status of {@code run}, with the exact first line of stderr where the contract fixes it. */
class ExitStatusTest {

    private static final String ORDERS = """
            [{"id": 1, "price": 2.5}, {"id": 2, "price": 4.0}]
            """;

    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void successIsZeroWithTheRecordsOnStdoutAndOnlyLogLinesOnStderr() throws IOException {
        Path statement = file("ok.py", "return [{\"id\": row[\"id\"]} for row in INPUT_DATA]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--input",
                file("in.json", ORDERS).toString());

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(CommandRun.json("[{\"id\": 1}, {\"id\": 2}]"), run.jsonArray(), run::toString);
        // the processor may log (e.g. a warning that GraalPy runs without the JIT), but nothing is an error
        assertTrue(run.stderrLines().stream().allMatch(line -> line.matches("(TRACE|DEBUG|INFO|WARN): .*")),
                run::toString);
    }

    @Test
    void aStatementThatRaisesIsOneWithTheFailureLineFirst() throws IOException {
        Path statement = file("raise.py", """
                total = 0
                for row in INPUT_DATA:
                    raise ValueError(f"bad price {row['price']}")
                return []
                """);
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--input",
                file("in.json", ORDERS).toString());

        assertEquals(1, run.exitStatus(), run::toString);
        assertEquals("failure: ValueError: bad price 2.5 (line 3)", run.firstStderrLine(), run::toString);
        assertEquals("", run.stdout(), run::toString);
    }

    @Test
    void aSourceRunThatRaisesIsOneWithTheFailureLineFirst() throws IOException {
        Path statement = file("raise.py", "x = {}\nreturn [{\"v\": x[\"missing\"]}]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString());

        assertEquals(1, run.exitStatus(), run::toString);
        assertEquals("failure: KeyError: 'missing' (line 2)", run.firstStderrLine(), run::toString);
        assertEquals("", run.stdout(), run::toString);
    }

    @Test
    void logErrorIsOneAndDiscardsTheOutput() throws IOException {
        Path statement = file("log_error.py", """
                log.info("checking")
                log.error("the price list is stale")
                return INPUT_DATA
                """);
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--mode", "bulk", "--input",
                file("in.json", ORDERS).toString());

        assertEquals(1, run.exitStatus(), run::toString);
        assertEquals("failure: log.error: the price list is stale (line 2)", run.firstStderrLine(), run::toString);
        assertEquals("", run.stdout(), run::toString);
        // the statement's own log lines follow, in order, with their level
        List<String> lines = run.statementLogLines();
        assertEquals(2, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("INFO: ") && lines.get(0).endsWith("line 1: checking"), run::toString);
        assertTrue(lines.get(1).startsWith("ERROR: ") && lines.get(1).endsWith("line 2: the price list is stale"),
                run::toString);
    }

    @Test
    void aForbiddenImportIsOneWithItsLine() throws IOException {
        Path statement = file("import_os.py", "x = 1\nimport os\nreturn [{\"cwd\": os.getcwd()}]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString());

        assertEquals(1, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("failure: ImportError: import of module 'os' is not allowed"),
                run::toString);
        assertTrue(run.firstStderrLine().endsWith(" (line 2)"), run::toString);
        assertEquals("", run.stdout(), run::toString);
    }

    @Test
    void aTypeHintIsOneWithASyntaxError() throws IOException {
        Path statement = file("hint.py", "\n\nnumber: int = 1\nreturn [{\"n\": number}]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--input",
                file("in.json", ORDERS).toString());

        assertEquals(1, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("failure: SyntaxError: type hints are not supported"),
                run::toString);
        assertTrue(run.firstStderrLine().endsWith(" (line 3)"), run::toString);
    }

    @Test
    void anUnknownOptionIsTwo() {
        CommandRun run = CommandRun.of("run", "--statement", "whatever.py", "--frobnicate", "yes");

        assertEquals(2, run.exitStatus(), run::toString);
        assertEquals("error: unknown option '--frobnicate'", run.firstStderrLine(), run::toString);
        assertEquals("", run.stdout());
    }

    @Test
    void aMissingStatementFileIsTwo() {
        Path missing = dir.resolve("missing.py");
        CommandRun run = CommandRun.of("run", "--statement", missing.toString());

        assertEquals(2, run.exitStatus(), run::toString);
        assertEquals("error: --statement: no such file: " + missing, run.firstStderrLine(), run::toString);
    }

    @Test
    void aMissingInputFileIsTwo() throws IOException {
        Path statement = file("ok.py", "return INPUT_DATA\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--input",
                dir.resolve("nothing.json").toString());

        assertEquals(2, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("error: --input: no such file: "), run::toString);
    }

    @Test
    void aBadDurationIsTwo() throws IOException {
        Path statement = file("ok.py", "return []\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--timeout", "soon");

        assertEquals(2, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("error: --timeout: 'soon' is not a duration"), run::toString);
    }

    @Test
    void aConfigurationNiFiRejectsIsTwo() throws IOException {
        Path statement = file("ok.py", "return []\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--checkpoint-column", " ");

        assertEquals(2, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("error: invalid configuration: 'Data Checkpoint Column' is invalid"),
                run::toString);
    }

    @Test
    void aBrokenStateFileIsTwo() throws IOException {
        Path statement = file("ok.py", "return []\n");
        CommandRun run = CommandRun.of("run", "--statement", statement.toString(), "--state",
                file("state.json", "{\"data.checkpoint\": 5}").toString());

        assertEquals(2, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().contains("the value of \"data.checkpoint\" must be a string"), run::toString);
    }

    @Test
    void statementFromStdinNeedsAnInputFile() {
        CommandRun run = CommandRun.withStdin("return []\n", "run", "--statement", "-");

        assertEquals(2, run.exitStatus(), run::toString);
        assertTrue(run.firstStderrLine().startsWith("error: --statement - reads the statement from standard input"),
                run::toString);
    }

    @Test
    void unknownCommandsAndNoArgumentsAreTwo() {
        CommandRun bench = CommandRun.of("benchmark");
        assertEquals(2, bench.exitStatus(), bench::toString);
        assertEquals("error: unknown command 'benchmark'; commands: run, verify, bench", bench.firstStderrLine(), bench::toString);

        CommandRun nothing = CommandRun.of();
        assertEquals(2, nothing.exitStatus(), nothing::toString);
        assertTrue(nothing.stderr().startsWith("Usage: restricted-python <command>"), nothing::toString);
    }

    @Test
    void helpIsZeroOnStdout() {
        CommandRun general = CommandRun.of("--help");
        assertEquals(0, general.exitStatus());
        assertTrue(general.stdout().contains("Commands:"), general::toString);

        CommandRun run = CommandRun.of("run", "--help");
        assertEquals(0, run.exitStatus());
        assertTrue(run.stdout().startsWith("Usage: restricted-python run --statement FILE"), run::toString);
        assertEquals("", run.stderr());
    }

    /**
     * The real entry point in its own JVM, as the launcher starts it: stdout holds only the records, stderr only
     * the command's lines (no SLF4J notice, no JVM or polyglot warning, no stack trace).
     */
    @Test
    void mainPrintsNothingButTheCommandsOwnLines() throws IOException, InterruptedException {
        Path statement = file("fail.py", "log.warn(\"careful\")\nreturn [{\"n\": 1 / 0}]\n");
        Path input = file("in.json", ORDERS);
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-cp", classPath, RestrictedPythonCommand.class.getName(),
                "run", "--statement", statement.toString(), "--input", input.toString(), "--mode", "bulk"));
        Process process = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("stdout").toFile())
                .redirectError(dir.resolve("stderr").toFile())
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the command did not finish");
        String stdout = Files.readString(dir.resolve("stdout"));
        List<String> stderr = Files.readAllLines(dir.resolve("stderr"));

        assertEquals(1, process.exitValue(), () -> stdout + stderr);
        assertEquals("", stdout);
        assertEquals("failure: ZeroDivisionError: division by zero (line 2)", stderr.getFirst());
        // every other line is one of the processor's log lines: no SLF4J notice, JVM warning or stack trace
        List<String> logLines = stderr.subList(1, stderr.size());
        assertTrue(logLines.stream().allMatch(line -> line.matches("(TRACE|DEBUG|INFO|WARN|ERROR): .*")),
                stderr::toString);
        assertTrue(logLines.stream().anyMatch(line -> line.matches(
                "WARN: Statement \\(FlowFile\\[.*in\\.json.*]\\): line 1: careful")), stderr::toString);
        assertTrue(logLines.getLast().startsWith("ERROR: The statement failed for FlowFile["), stderr::toString);
    }
}
