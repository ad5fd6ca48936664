package dev.restrictedpython.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code verify} reports what NiFi's Verify reports, with the same failure sentence as {@code run}. */
class VerifyCommandTest {

    private static final String ORDERS = """
            [{"id": 1, "price": 2.5}, {"id": 2, "price": 4.0}]
            """;

    @TempDir
    Path dir;

    private String file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
    }

    private static String step(CommandRun run, String outcome, String stepStart) {
        List<String> lines = run.stdout().lines().filter(line -> line.startsWith(outcome + "  " + stepStart)).toList();
        assertEquals(1, lines.size(), "one " + outcome + " line for '" + stepStart + "': " + run);
        return lines.getFirst();
    }

    @Test
    void aGoodStatementDryRunsOnTheDebugInput() throws IOException {
        String statement = file("ok.py", """
                row = INPUT_DATA[0]
                log.info('price ' + str(row['price']))
                return [{'id': row['id'], 'double': row['price'] * 2}]
                """);
        CommandRun run = CommandRun.of("verify", "--statement", statement, "--input", file("in.json", ORDERS));

        assertEquals(0, run.exitStatus(), run::toString);
        String dryRun = step(run, "SUCCESSFUL", "Dry Run");
        assertTrue(dryRun.contains("Returned 2 record(s)"), dryRun);
        assertTrue(dryRun.contains("{\"id\": 2, \"double\": 8.0}"), dryRun);
        assertTrue(dryRun.contains("info (line 2): price 2.5"), dryRun);
    }

    @Test
    void aDialectErrorFailsWithTheSameSentenceAsRun() throws IOException {
        String statement = file("hint.py", "x = 1\ntotal: int = 2\nreturn []\n");
        String input = file("in.json", ORDERS);
        CommandRun verify = CommandRun.of("verify", "--statement", statement, "--input", input);
        CommandRun run = CommandRun.of("run", "--statement", statement, "--input", input);

        assertEquals(1, verify.exitStatus(), verify::toString);
        assertEquals(1, run.exitStatus(), run::toString);
        String sentence = run.firstStderrLine().substring("failure: ".length());
        assertTrue(sentence.endsWith("(line 2)"), sentence);
        assertTrue(verify.stdout().lines().anyMatch(line -> line.startsWith("FAILED") && line.endsWith(sentence)),
                verify::toString);
    }

    @Test
    void aDryRunErrorShowsTheLine() throws IOException {
        String statement = file("missing.py", "rows = INPUT_DATA\n\nreturn [{'x': rows[0]['missing']}]\n");
        CommandRun run = CommandRun.of("verify", "--statement", statement, "--mode", "bulk",
                "--input", file("in.json", ORDERS));

        assertEquals(1, run.exitStatus(), run::toString);
        assertTrue(step(run, "FAILED", "Dry Run").endsWith("KeyError: 'missing' (line 3)"), run::toString);
    }

    @Test
    void csvDebugInputIsABadArgument() throws IOException {
        CommandRun run = CommandRun.of("verify", "--statement", file("ok.py", "return []\n"),
                "--input", file("in.csv", "id\n1\n"), "--input-format", "csv");
        assertEquals(2, run.exitStatus(), run::toString);
    }
}
