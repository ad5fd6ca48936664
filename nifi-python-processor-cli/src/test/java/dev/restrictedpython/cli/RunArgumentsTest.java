package dev.restrictedpython.cli;

import dev.restrictedpython.cli.RunOptions.RecordFormat;
import dev.restrictedpython.nifi.processor.NetworkAccess;
import dev.restrictedpython.nifi.processor.ProcessingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing of {@code run}'s arguments (no processor involved). */
class RunArgumentsTest {

    private static RunOptions parse(String... args) throws Exception {
        return RunArguments.parse(List.of(args));
    }

    private static String rejected(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void everyOptionInBothSpellings() throws Exception {
        RunOptions options = parse("--statement", "s.py", "--mode=bulk", "--input", "in.csv", "--input-format=CSV",
                "--output-format", "json", "--checkpoint-column", "id", "--initial-checkpoint=0", "--state", "st.json",
                "--property", "a=1=2", "--property=b=", "--attribute", "source=crm", "--timeout", "10s",
                "--network", "denied");

        assertEquals("s.py", options.statement());
        assertEquals(ProcessingMode.BULK, options.mode());
        assertEquals("in.csv", options.input());
        assertEquals(RecordFormat.CSV, options.inputFormat());
        assertEquals(RecordFormat.JSON, options.outputFormat());
        assertEquals("id", options.checkpointColumn());
        assertEquals("0", options.initialCheckpoint());
        assertEquals(Path.of("st.json"), options.stateFile());
        assertEquals(Map.of("a", "1=2", "b", ""), options.properties());
        assertEquals(Map.of("source", "crm"), options.attributes());
        assertEquals("10s", options.timeout());
        assertEquals(NetworkAccess.DENIED, options.network());
        assertFalse(options.includeInputFields());
        assertFalse(options.sourceMode());
    }

    @Test
    void onlyTheStatementIsRequiredAndTheRestIsTheProcessorsDefault() throws Exception {
        RunOptions options = parse("--statement", "s.py");

        assertTrue(options.sourceMode());
        assertNull(options.mode());
        assertNull(options.timeout());
        assertNull(options.network());
        assertTrue(options.properties().isEmpty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"10s", "500ms", "2m", "1h", "10 sec", "500 millis", "1.5 secs", "3 minutes", "10 SEC"})
    void durationsInNiFiAndShortForms(String duration) throws Exception {
        assertEquals(duration.toLowerCase(), parse("--statement", "s.py", "--timeout", duration).timeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "10", "10 parsecs", "-5s", "0s", ""})
    void badDurations(String duration) {
        assertTrue(rejected("--statement", "s.py", "--timeout", duration).startsWith("--timeout: "));
    }

    @Test
    void mistakes() {
        assertEquals("unknown option '--frobnicate'", rejected("--statement", "s.py", "--frobnicate", "x"));
        assertEquals("unexpected argument 'extra'", rejected("--statement", "s.py", "extra"));
        assertEquals("--statement FILE is required", rejected("--mode", "row"));
        assertEquals("--mode needs a value", rejected("--statement", "s.py", "--mode"));
        assertEquals("--mode must be bulk|row, got 'fast'", rejected("--statement", "s.py", "--mode", "fast"));
        assertEquals("--network must be allowed|denied, got 'yes'", rejected("--statement", "s.py", "--network", "yes"));
        assertEquals("--input-format must be csv|json, got 'xml'",
                rejected("--statement", "s.py", "--input", "x", "--input-format", "xml"));
        assertEquals("--mode is given more than once", rejected("--statement", "s.py", "--mode", "row", "--mode", "bulk"));
        assertEquals("--property needs NAME=VALUE, got 'novalue'", rejected("--statement", "s.py", "--property", "novalue"));
        assertEquals("--attribute a is given more than once",
                rejected("--statement", "s.py", "--attribute", "a=1", "--attribute", "a=2"));
        assertEquals("--initial-checkpoint needs --checkpoint-column",
                rejected("--statement", "s.py", "--initial-checkpoint", "0"));
        assertEquals("--include-input-fields works in row mode only",
                rejected("--statement", "s.py", "--mode", "bulk", "--include-input-fields"));
        assertTrue(rejected("--statement", "s.py", "--input-format", "csv").startsWith("--input-format needs --input"));
        assertTrue(rejected("--statement", "-", "--input", "-").startsWith("--statement - reads the statement"));
    }

    @Test
    void helpWins() {
        assertThrows(RunArguments.HelpRequested.class, () -> parse("--frobnicate", "--help"));
    }
}
