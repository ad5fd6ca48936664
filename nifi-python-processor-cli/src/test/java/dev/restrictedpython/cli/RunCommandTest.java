package dev.restrictedpython.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The options of {@code run}, each through the real processor, GraalPy and NiFi's record services. */
class RunCommandTest {

    private static final String THREE_ROWS = """
            [{"id": 1, "qty": 2}, {"id": 2, "qty": 5}, {"id": 3, "qty": 1}]
            """;

    @TempDir
    Path dir;

    private String file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
    }

    @Test
    void rowModeRunsOncePerRecordAndBulkOnceForAll() throws IOException {
        String statement = file("count.py", "return [{\"seen\": len(INPUT_DATA), \"ids\": [r[\"id\"] for r in INPUT_DATA]}]\n");
        String input = file("in.json", THREE_ROWS);

        CommandRun row = CommandRun.of("run", "--statement", statement, "--input", input, "--mode", "row");
        CommandRun bulk = CommandRun.of("run", "--statement", statement, "--input", input, "--mode", "bulk");
        CommandRun byDefault = CommandRun.of("run", "--statement", statement, "--input", input);

        assertEquals(0, row.exitStatus(), row::toString);
        assertEquals(CommandRun.json("""
                [{"seen": 1, "ids": [1]}, {"seen": 1, "ids": [2]}, {"seen": 1, "ids": [3]}]"""), row.jsonArray());
        assertEquals(0, bulk.exitStatus(), bulk::toString);
        assertEquals(CommandRun.json("[{\"seen\": 3, \"ids\": [1, 2, 3]}]"), bulk.jsonArray());
        assertEquals(row.jsonArray(), byDefault.jsonArray(), "row by row is the default");
    }

    @Test
    void includeInputFieldsLaysTheReturnedFieldsOverTheRecord() throws IOException {
        String statement = file("double.py", "row = INPUT_DATA[0]\nreturn [{\"qty\": row[\"qty\"] * 2, \"doubled\": True}]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement, "--input", file("in.json", THREE_ROWS),
                "--include-input-fields");

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(CommandRun.json("""
                [{"id": 1, "qty": 4, "doubled": true}, {"id": 2, "qty": 10, "doubled": true},
                 {"id": 3, "qty": 2, "doubled": true}]"""), run.jsonArray());
    }

    /**
     * The state file carries the checkpoint: a run with output moves it, a run with no output and a failing run
     * leave it as it was, and the next run continues from it. Entries the command does not know are kept.
     */
    @Test
    void stateFileCarriesTheCheckpointAcrossRuns() throws IOException, UsageException {
        String statement = file("next.py", """
                what = PROPERTIES["what"]
                if what == "fail":
                    raise RuntimeError(f"cannot continue after {DATA_CHECKPOINT}")
                if what == "nothing":
                    return []
                return [{"id": DATA_CHECKPOINT + 1}, {"id": DATA_CHECKPOINT + 2}]
                """);
        Path state = dir.resolve("state.json");
        Files.writeString(state, "{\"unrelated\": \"kept\"}");

        CommandRun first = next(statement, state, "more");
        assertEquals(0, first.exitStatus(), first::toString);
        assertEquals(CommandRun.json("[{\"id\": 11}, {\"id\": 12}]"), first.jsonArray());
        Map<String, String> afterFirst = StateFile.read(state);
        assertEquals(Map.of("data.checkpoint", "12", "data.checkpoint.type", "int", "unrelated", "kept"), afterFirst);

        CommandRun empty = next(statement, state, "nothing");
        assertEquals(0, empty.exitStatus(), empty::toString);
        assertEquals("", empty.stdout(), "a source run with no output prints nothing");
        assertEquals(afterFirst, StateFile.read(state));

        CommandRun failing = next(statement, state, "fail");
        assertEquals(1, failing.exitStatus(), failing::toString);
        assertEquals("failure: RuntimeError: cannot continue after 12 (line 3)", failing.firstStderrLine());
        assertEquals(afterFirst, StateFile.read(state));

        CommandRun last = next(statement, state, "more");
        assertEquals(0, last.exitStatus(), last::toString);
        assertEquals(CommandRun.json("[{\"id\": 13}, {\"id\": 14}]"), last.jsonArray());
        assertEquals("14", StateFile.read(state).get("data.checkpoint"));
    }

    private static CommandRun next(String statement, Path state, String what) {
        return CommandRun.of("run", "--statement", statement, "--checkpoint-column", "id",
                "--initial-checkpoint", "10", "--state", state.toString(), "--property", "what=" + what);
    }

    @Test
    void propertiesAndAttributesReachTheStatement() throws IOException {
        String statement = file("echo.py", """
                return [{
                    "greeting": PROPERTIES["greeting"],
                    "evaluated": PROPERTIES["evaluated"],
                    "source": ATTRIBUTES["source"],
                    "filename": ATTRIBUTES["filename"],
                    "records": len(INPUT_DATA),
                }]
                """);
        CommandRun run = CommandRun.of("run", "--statement", statement, "--mode", "bulk",
                "--input", file("orders.json", THREE_ROWS),
                "--property", "greeting=hello, world", "--property", "evaluated=${source:toUpper()}-${filename}",
                "--attribute", "source=crm");

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(CommandRun.json("""
                [{"greeting": "hello, world", "evaluated": "CRM-orders.json", "source": "crm",
                  "filename": "orders.json", "records": 3}]"""), run.jsonArray());
    }

    @Test
    void theStatementCanComeFromStdin() throws IOException {
        CommandRun run = CommandRun.withStdin("return [{\"total\": sum(r[\"qty\"] for r in INPUT_DATA)}]\n",
                "run", "--statement", "-", "--mode", "bulk", "--input", file("in.json", THREE_ROWS));

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals(CommandRun.json("[{\"total\": 8}]"), run.jsonArray());
    }

    @Test
    void csvInAndOutWithInferredTypes() throws IOException {
        String statement = file("csv.py", """
                row = INPUT_DATA[0]
                return [{"name": row["name"], "next": row["age"] + 1, "adult": row["age"] >= 18}]
                """);
        String input = file("people.csv", "name,age\nAda,36\n\"Lovelace, jr\",9\n");

        CommandRun csv = CommandRun.of("run", "--statement", statement, "--input", input,
                "--input-format", "csv", "--output-format", "csv");
        assertEquals(0, csv.exitStatus(), csv::toString);
        assertEquals("name,next,adult\nAda,37,true\n\"Lovelace, jr\",10,false\n", csv.stdout());

        CommandRun json = CommandRun.of("run", "--statement", statement, "--input", input, "--input-format", "csv");
        assertEquals(0, json.exitStatus(), json::toString);
        assertEquals(CommandRun.json("""
                [{"name": "Ada", "next": 37, "adult": true}, {"name": "Lovelace, jr", "next": 10, "adult": false}]"""),
                json.jsonArray());
    }

    @Test
    void jsonInCsvOut() throws IOException {
        String statement = file("pick.py", "return [{\"id\": INPUT_DATA[0][\"id\"]}]\n");
        CommandRun run = CommandRun.of("run", "--statement", statement, "--input", file("in.json", THREE_ROWS),
                "--output-format", "csv");

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals("id\n1\n2\n3\n", run.stdout());
    }

    @Test
    void shortAndNiFiDurationsSetTheStatementTimeout() throws IOException {
        String statement = file("slow.py", "await sleep(float(PROPERTIES[\"seconds\"]))\nreturn [{\"done\": True}]\n");

        CommandRun shortForm = CommandRun.of("run", "--statement", statement, "--timeout", "300ms",
                "--property", "seconds=5");
        assertEquals(1, shortForm.exitStatus(), shortForm::toString);
        assertTrue(shortForm.firstStderrLine().startsWith(
                "failure: TimeoutError: the statement ran longer than the Statement Timeout of 300 ms"), shortForm::toString);

        CommandRun nifiForm = CommandRun.of("run", "--statement", statement, "--timeout", "1 sec",
                "--property", "seconds=5");
        assertEquals(1, nifiForm.exitStatus(), nifiForm::toString);
        assertTrue(nifiForm.firstStderrLine().startsWith(
                "failure: TimeoutError: the statement ran longer than the Statement Timeout of 1 second"), nifiForm::toString);

        CommandRun longEnough = CommandRun.of("run", "--statement", statement, "--timeout", "2m",
                "--property", "seconds=0.1");
        assertEquals(0, longEnough.exitStatus(), longEnough::toString);
        assertEquals(CommandRun.json("[{\"done\": true}]"), longEnough.jsonArray());
    }

    @Test
    void everyLogLevelReachesStderrWithItsLevel() throws IOException {
        String statement = file("levels.py", """
                log.trace("t")
                log.debug("d")
                log.info("i")
                log.warn("w")
                print("printed")
                return []
                """);
        CommandRun run = CommandRun.of("run", "--statement", statement);

        assertEquals(0, run.exitStatus(), run::toString);
        assertEquals("", run.stdout());
        var lines = run.statementLogLines();
        assertEquals(5, lines.size(), run::toString);
        assertTrue(lines.get(0).startsWith("TRACE: ") && lines.get(0).endsWith("line 1: t"), run::toString);
        assertTrue(lines.get(1).startsWith("DEBUG: ") && lines.get(1).endsWith("line 2: d"), run::toString);
        assertTrue(lines.get(2).startsWith("INFO: ") && lines.get(2).endsWith("line 3: i"), run::toString);
        assertTrue(lines.get(3).startsWith("WARN: ") && lines.get(3).endsWith("line 4: w"), run::toString);
        assertTrue(lines.get(4).contains("printed"), run::toString);
    }

    /** Allowed, a socket reaches the (closed) port and is refused; denied, the sandbox has no socket at all. */
    @Test
    void networkAccessIsPassedToTheSandbox() throws IOException {
        String statement = file("net.py", """
                import ssl
                ssl.create_connection(("127.0.0.1", 9), timeout=5)
                return [{"connected": True}]
                """);
        CommandRun allowed = CommandRun.of("run", "--statement", statement, "--network", "allowed");
        CommandRun denied = CommandRun.of("run", "--statement", statement, "--network", "denied");

        assertEquals(1, allowed.exitStatus(), allowed::toString);
        assertEquals("failure: ConnectionRefusedError: [Errno 111] Connection refused (line 2)",
                allowed.firstStderrLine(), allowed::toString);
        assertEquals(1, denied.exitStatus(), denied::toString);
        assertEquals("failure: PermissionError: network access is denied: the processor's Network Access property is "
                + "Denied (line 2)", denied.firstStderrLine(), denied::toString);
    }
}
