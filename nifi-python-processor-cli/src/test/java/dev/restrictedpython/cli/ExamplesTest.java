package dev.restrictedpython.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every example under {@code examples/} through the command: {@code <name>.py} is the statement,
 * {@code <name>.json} or {@code <name>.csv} (if present) the input, {@code <name>.args} (if present) extra flags on
 * one line. Each must exit 0 and print a JSON array (or CSV with {@code --output-format csv}); the examples named in
 * {@link #EXPECTED} must print exactly that.
 */
class ExamplesTest {

    private static final Path EXAMPLES = Path.of(System.getProperty("restricted-python.examples", "../examples"));

    private static final Set<String> REQUIRED = Set.of(
            "enrich", "filter", "aggregate", "generate", "checkpoint", "imports", "csv");

    private static final Map<String, String> EXPECTED = Map.of(
            // the seed's users example, verbatim
            "generate", """
                    [{"name": "Alice"}, {"name": "Bob"}, {"name": "Charlie"}]""",
            "enrich", """
                    [{"id": 1, "item": "pencil", "price": 0.5, "quantity": 12, "total": 6.0, "currency": "EUR"},
                     {"id": 2, "item": "notebook", "price": 3.25, "quantity": 4, "total": 13.0, "currency": "EUR"},
                     {"id": 3, "item": "stapler", "price": 12.0, "quantity": 1, "total": 12.0, "currency": "EUR"}]""",
            "filter", """
                    [{"id": 1, "name": "Alice", "status": "active"}, {"id": 3, "name": "Charlie", "status": "active"}]""",
            "aggregate", """
                    [{"country": "CZ", "sales": 1, "amount": 42.5}, {"country": "DE", "sales": 2, "amount": 120.0},
                     {"country": "FR", "sales": 2, "amount": 12.5}]""",
            "checkpoint", """
                    [{"id": 1, "name": "item-1"}, {"id": 2, "name": "item-2"}, {"id": 3, "name": "item-3"}]""",
            "imports", """
                    [{"letters": "ABCDE", "json": "{\\"ok\\": true}", "etree": "xml.etree"}]""",
            "csv", """
                    name,age_next_year,city
                    ALICE,31,Prague
                    BOB,26,Brno
                    CHARLIE,42,Ostrava
                    """);

    @Test
    void theRequiredExamplesExist() throws IOException {
        Set<String> names = names();
        assertTrue(names.containsAll(REQUIRED), () -> "examples found: " + names);
    }

    @TestFactory
    Stream<DynamicTest> everyExampleRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : names()) {
            tests.add(DynamicTest.dynamicTest(name, () -> runExample(name)));
        }
        return tests.stream();
    }

    private static void runExample(String name) throws IOException {
        List<String> args = commandLine(name);
        CommandRun run = CommandRun.of(args);

        assertEquals(0, run.exitStatus(), () -> String.join(" ", args) + "\n" + run);
        boolean csv = args.contains("--output-format") && args.get(args.indexOf("--output-format") + 1).equals("csv");
        if (csv) {
            List<String> lines = run.stdout().lines().toList();
            assertTrue(lines.size() >= 2, run::toString);
            int columns = lines.getFirst().split(",", -1).length;
            assertTrue(lines.stream().allMatch(line -> line.split(",", -1).length == columns), run::toString);
        } else {
            JsonNode array = run.jsonArray();
            assertFalse(array.isEmpty(), run::toString);
            array.forEach(item -> assertTrue(item.isObject(), run::toString));
        }
        String expected = EXPECTED.get(name);
        if (expected != null) {
            if (csv) {
                assertEquals(expected, run.stdout(), run::toString);
            } else {
                assertEquals(CommandRun.json(expected), run.jsonArray(), run::toString);
            }
        }
    }

    /** {@code run --statement <name>.py [--input <name>.json|csv] <flags of name.args>}. */
    static List<String> commandLine(String name) throws IOException {
        List<String> args = new ArrayList<>(List.of("run", "--statement", EXAMPLES.resolve(name + ".py").toString()));
        for (String extension : List.of("json", "csv")) {
            Path input = EXAMPLES.resolve(name + "." + extension);
            if (Files.exists(input)) {
                args.addAll(List.of("--input", input.toString()));
            }
        }
        Path flags = EXAMPLES.resolve(name + ".args");
        if (Files.exists(flags)) {
            args.addAll(split(Files.readString(flags, StandardCharsets.UTF_8)));
        }
        return args;
    }

    /** Splits a line of flags as a shell would: on blanks, with '…' and "…" quoting. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.strip().toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            Set<String> names = new TreeSet<>();
            files.map(path -> path.getFileName().toString())
                    .filter(file -> file.endsWith(".py"))
                    .forEach(file -> names.add(file.substring(0, file.length() - ".py".length())));
            return names;
        }
    }
}
