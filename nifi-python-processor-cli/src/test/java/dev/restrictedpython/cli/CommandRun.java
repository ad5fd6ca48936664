package dev.restrictedpython.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** One in-process run of the command, as the launcher would do it, with what it printed. */
record CommandRun(int exitStatus, String stdout, String stderr) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static CommandRun of(String... args) {
        return withStdin("", args);
    }

    static CommandRun of(List<String> args) {
        return of(args.toArray(String[]::new));
    }

    static CommandRun withStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = new RestrictedPythonCommand().run(args,
                    new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream, errStream);
        }
        return new CommandRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    List<String> stderrLines() {
        return stderr.lines().toList();
    }

    /** The stderr lines that carry the statement's own {@code log.*} calls and prints. */
    List<String> statementLogLines() {
        return stderrLines().stream().filter(line -> line.contains(": Statement (")).toList();
    }

    String firstStderrLine() {
        List<String> lines = stderrLines();
        return lines.isEmpty() ? "" : lines.getFirst();
    }

    /** stdout parsed as JSON; fails (with everything printed) unless it is a JSON array. */
    JsonNode jsonArray() {
        try {
            JsonNode node = JSON.readTree(stdout);
            assertTrue(node != null && node.isArray(), "stdout is not a JSON array: " + this);
            return node;
        } catch (IOException e) {
            return fail("stdout is not JSON: " + this, e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exitStatus + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
}
