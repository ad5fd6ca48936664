package dev.restrictedpython.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench} in its short form, as CI runs it: the shape of what it prints, never its timings. */
class BenchCommandTest {

    private static final Pattern BENCH_LINE = Pattern.compile(
            "BENCH \\{\"records\":200,\"copy\":\\d+,\"row\":\\d+,\"bulk\":\\d+,\"cpython\":(\\d+|null),\"jit\":(true|false)}");

    @Test
    void shortBenchEndsWithTheMachineReadableLine() {
        CommandRun run = CommandRun.of("bench", "--records", "200", "--rounds", "1", "--warmup", "0", "--single", "3");

        assertEquals(0, run.exitStatus(), run::toString);
        List<String> lines = run.stdout().lines().toList();
        String last = lines.getLast();
        assertTrue(BENCH_LINE.matcher(last).matches(), "last line: " + last + "\n" + run);
        assertTrue(run.stdout().contains("single-record FlowFile, warm, median: row "), run::toString);
        // this test's JVM has no AOT cache (only the launcher gives one): the report must not claim one
        assertTrue(run.stdout().contains("cold start (scheduling to the first FlowFile out"), run::toString);
        assertTrue(run.stdout().contains(" s, classes loaded from the jars (no AOT cache)"), run::toString);
        assertTrue(run.stdout().contains("2 concurrent tasks: "), run::toString);
        assertTrue(run.stdout().contains("  warm-up: 0 round(s) of every contender"), run::toString);
        assertTrue(run.stdout().contains("  timed rounds, slowest to fastest: copy "), run::toString);
    }

    @Test
    void aFullRunWaitsForTheJitAndAShortOneDoesNot() throws Exception {
        BenchCommand.Options full = BenchCommand.parse(List.of());
        assertEquals(100_000, full.records());
        assertEquals(4, full.warmup());
        assertEquals(120, full.settleSeconds());

        BenchCommand.Options ci = BenchCommand.parse(List.of("--records", "5000", "--rounds", "1"));
        assertEquals(1, ci.warmup());
        assertEquals(0, ci.settleSeconds());

        BenchCommand.Options chosen = BenchCommand.parse(List.of("--records=5000", "--settle", "30", "--warmup=2"));
        assertEquals(30, chosen.settleSeconds());
        assertEquals(2, chosen.warmup());
    }

    @Test
    void warmUpLastsItsRoundsThenWhileTheCompilerIsBusyUntilTheSettleLimit() throws Exception {
        BenchCommand.Options full = BenchCommand.parse(List.of());
        long second = 1_000_000_000L;
        assertTrue(BenchCommand.keepWarming(full, 3, 30 * second, 0.0), "fewer rounds than --warmup");
        assertTrue(BenchCommand.keepWarming(full, 4, 30 * second, 0.45), "compiler at 45% of a core");
        assertFalse(BenchCommand.keepWarming(full, 4, 30 * second, 0.01), "compiler idle");
        assertFalse(BenchCommand.keepWarming(full, 9, 121 * second, 0.45), "past --settle");

        BenchCommand.Options ci = BenchCommand.parse(List.of("--records", "5000"));
        assertTrue(BenchCommand.keepWarming(ci, 0, 0, 0.0));
        assertFalse(BenchCommand.keepWarming(ci, 1, second, 0.9), "no --settle: the minimum only");

        BenchCommand.Options settleOnly = BenchCommand.parse(List.of("--warmup", "0", "--settle", "60"));
        assertTrue(BenchCommand.keepWarming(settleOnly, 0, 0, 0.0), "one round at least, to measure the compiler");
        assertFalse(BenchCommand.keepWarming(settleOnly, 1, second, 0.0));
    }

    @Test
    void badOptionsAreTwoAndHelpIsZero() {
        CommandRun bad = CommandRun.of("bench", "--records", "none");
        assertEquals(2, bad.exitStatus(), bad::toString);
        assertEquals("error: --records must be a whole number of at least 1, not 'none'", bad.firstStderrLine());

        CommandRun unknown = CommandRun.of("bench", "--fast");
        assertEquals(2, unknown.exitStatus(), unknown::toString);

        CommandRun help = CommandRun.of("bench", "--help");
        assertEquals(0, help.exitStatus(), help::toString);
        assertTrue(help.stdout().startsWith("Usage: restricted-python bench"), help::toString);
    }

    @Test
    void medianOfOddAndEvenCounts() {
        assertEquals(2, BenchCommand.median(new long[] {3, 1, 2}));
        assertEquals(2, BenchCommand.median(new long[] {4, 1, 3, 2}));
    }
}
