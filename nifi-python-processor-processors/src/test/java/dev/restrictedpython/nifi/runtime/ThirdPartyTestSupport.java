package dev.restrictedpython.nifi.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Runs statements that use the bundled third-party modules, in the same sandbox the processor uses. */
final class ThirdPartyTestSupport {

    /**
     * Imports compile when first run and run interpreted in tests (no JIT): generous limits. The allocation limit
     * is above the processor's default (1 GB): importing openai allocates more than that (see
     * docs/third-party-modules.md).
     */
    static final RunLimits LIMITS = new RunLimits(Duration.ofSeconds(120), 8L << 30);
    static final RunInput NO_INPUT = new RunInput(null, Map.of(), Map.of());

    private ThirdPartyTestSupport() {
    }

    /** Compiles the statement in a new context, runs it once in bulk mode with no records, closes the context. */
    static List<Map<String, Object>> run(String statement, boolean networkAllowed) throws StatementException {
        try (PythonStatement compiled = PythonStatement.compile(statement, new SandboxSettings(networkAllowed, LIMITS))) {
            return compiled.runBulk(List.of(), NO_INPUT, (level, message, line) -> { });
        }
    }

    /** {@link #run} without network access, expecting exactly one returned item. */
    static Map<String, Object> runOne(String statement) throws StatementException {
        List<Map<String, Object>> items = run(statement, false);
        if (items.size() != 1) {
            throw new AssertionError("expected one item, got " + items);
        }
        return items.get(0);
    }

    /** Runs the statement and returns the log lines it produced (level: message). */
    static List<String> logOf(String statement, boolean networkAllowed) throws StatementException {
        List<String> lines = new ArrayList<>();
        try (PythonStatement compiled = PythonStatement.compile(statement, new SandboxSettings(networkAllowed, LIMITS))) {
            compiled.runBulk(List.of(), NO_INPUT, (level, message, line) -> lines.add(level + ": " + message));
        }
        return lines;
    }
}
