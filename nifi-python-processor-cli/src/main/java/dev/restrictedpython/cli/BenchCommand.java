package dev.restrictedpython.cli;

import dev.restrictedpython.nifi.processor.ProcessingMode;
import dev.restrictedpython.nifi.runtime.PythonSandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code restricted-python bench} (DESIGN.md sections 5 and 6): throughput of the processor against the floor of
 * NiFi's record I/O and against CPython, in one run, on the same generated records and the same statement. Ends with
 * the machine-readable line {@code BENCH {"records":N,"copy":R,"row":R,"bulk":R,"cpython":R|null,"jit":true|false}}.
 */
final class BenchCommand implements RestrictedPythonCommand.Subcommand {

    static final String USAGE = """
            Usage: restricted-python bench [--records N] [--rounds N] [--warmup N] [--settle S] [--single N]
                [--python CMD] [--no-jit]

            Measures, in one run, on the same generated JSON records and the same row transform:
              copy     NiFi's JSON reader straight into NiFi's JSON writer, no statement (the floor of record I/O)
              row      ExecuteRestrictedPython, Row by row
              bulk     ExecuteRestrictedPython, Bulk
              cpython  python3 running json.loads -> statement -> json.dumps over the same file
            each warmed up until the JIT has settled, then the median of the timed rounds, in records per second;
            also the cold start (scheduling to the first FlowFile out), the warm time of a single-record FlowFile
            (median) and the throughput of 2 concurrent tasks against 1 (row mode, many FlowFiles). Ratios matter,
            not the numbers.

            Options:
              --records N     records per FlowFile (default 100000)
              --rounds N      timed rounds per contender, the median is reported (default 5)
              --warmup N      untimed rounds first, at least (default 4; 1 below 20000 records)
              --settle S      then more untimed rounds, up to S seconds, until the JIT's compiler is idle (under
                              5% of a core over a round); default 120, 0 below 20000 records
              --single N      single-record FlowFiles timed per contender (default 300)
              --python CMD    the CPython to compare with (default python3; 'none' skips it)
              --no-jit        run GraalPy interpreter-only (the launcher then leaves out the Graal compiler)
              --help          this text

            The JVM gets NiFi's default heap (-Xms1g -Xmx1g, as NiFi's bootstrap.conf) unless
            RESTRICTED_PYTHON_JAVA_OPTS sets one: give more for --records beyond ~300000.

            The last line is BENCH {"records":N,"copy":R,"row":R,"bulk":R,"cpython":R|null,"jit":true|false}
            (R = records per second; cpython is null without a python3).
            """;

    /** Records per FlowFile in the concurrency measurement. */
    private static final int CONCURRENT_CHUNK = 1000;

    private final JitActivity jitActivity = new JitActivity();

    /** The JIT counts as settled when its compiler used less than this share of a core over a warm-up round. */
    static final double SETTLED_COMPILER_SHARE = 0.05;

    record Options(int records, int rounds, int warmup, int settleSeconds, int single, String python, boolean noJit) {
    }

    /** How the warm-up ended: its rounds and seconds, and the compiler's share of a core in its last round. */
    record WarmUp(int rounds, double seconds, double lastCompilerShare) {
        boolean settled() {
            return lastCompilerShare < SETTLED_COMPILER_SHARE;
        }
    }

    @Override
    public int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = parse(args);
        } catch (HelpRequested help) {
            out.print(USAGE);
            return RestrictedPythonCommand.EXIT_OK;
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println("Run '" + RestrictedPythonCommand.PROGRAM + " bench --help' for usage.");
            return RestrictedPythonCommand.EXIT_USAGE;
        }
        try {
            return bench(options, out, err);
        } catch (IllegalStateException e) {
            err.println("error: bench failed: " + e.getMessage());
            return RestrictedPythonCommand.EXIT_STATEMENT_FAILED;
        }
    }

    private static final class HelpRequested extends Exception {
    }

    static Options parse(List<String> args) throws UsageException, HelpRequested {
        int records = 100_000;
        int rounds = 5;
        Integer warmup = null;
        Integer settle = null;
        int single = 300;
        String python = "python3";
        boolean noJit = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--help", "-h" -> throw new HelpRequested();
                case "--no-jit" -> noJit = true;
                case "--records", "--rounds", "--warmup", "--settle", "--single", "--python" -> {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    switch (name) {
                        case "--records" -> records = number(name, value, 1);
                        case "--rounds" -> rounds = number(name, value, 1);
                        case "--warmup" -> warmup = number(name, value, 0);
                        case "--settle" -> settle = number(name, value, 0);
                        case "--single" -> single = number(name, value, 1);
                        default -> python = value;
                    }
                }
                default -> throw new UsageException("unknown option '" + arg + "'");
            }
        }
        // The JIT needs full rounds to settle; a short run (as in CI) only checks that everything works.
        boolean full = records >= 20_000;
        int warmupRounds = warmup != null ? warmup : full ? 4 : 1;
        int settleSeconds = settle != null ? settle : full ? 120 : 0;
        return new Options(records, rounds, warmupRounds, settleSeconds, single, python, noJit);
    }

    private static int number(String option, String value, int minimum) throws UsageException {
        try {
            int number = Integer.parseInt(value.replace("_", ""));
            if (number >= minimum) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(option + " must be a whole number of at least " + minimum + ", not '" + value + "'");
    }

    private int bench(Options options, PrintStream out, PrintStream err) {
        int n = options.records();
        byte[] one = BenchData.records(0, 1);

        // First, while the JVM is fresh: scheduling to first FlowFile out, engine and contexts included.
        progress(err, "cold start");
        BenchTarget row = BenchTarget.statement("row", BenchData.STATEMENT, ProcessingMode.ROW_BY_ROW, 1);
        long coldNanos = row.start(one, 1);
        boolean jit = PythonSandbox.isJitEnabled();

        byte[] data = BenchData.records(0, n);
        BenchTarget copy = BenchTarget.copy();
        BenchTarget bulk = BenchTarget.statement("bulk", BenchData.STATEMENT, ProcessingMode.BULK, 1);
        List<BenchTarget> targets = List.of(copy, row, bulk);
        try {
            copy.start(one, 1);
            bulk.start(one, 1);
            WarmUp warmUp = warmUp(targets, data, n, options, err);
            // The contenders' rounds alternate, so that a slow spell of a shared machine (copy alone has measured
            // anywhere from 150k to 210k records/s here) falls on all of them rather than on one. Each timed round
            // follows a collection and an untimed round of the same contender: it pays for its own garbage only
            // (measured: copy fell from ~190k to ~120k records/s when its rounds directly followed bulk's), on a
            // heap grown back to its own size after the collection.
            long[][] times = new long[targets.size()][options.rounds()];
            JitActivity.Window timed = jitActivity.start();
            for (int round = 0; round < options.rounds(); round++) {
                for (int t = 0; t < targets.size(); t++) {
                    BenchTarget target = targets.get(t);
                    progress(err, target.name() + ": round " + (round + 1) + " of " + options.rounds());
                    System.gc();
                    target.trigger(data, n);
                    times[t][round] = target.trigger(data, n);
                }
            }
            double timedCompilerShare = timed.compilerShare();
            double copyRate = rate(n, median(times[0]));
            double rowRate = rate(n, median(times[1]));
            double bulkRate = rate(n, median(times[2]));
            String spread = spread(n, targets, times);

            progress(err, "single-record FlowFiles");
            long[] singleMedians = new long[targets.size()];
            for (int t = 0; t < targets.size(); t++) {
                BenchTarget target = targets.get(t);
                sample(Math.max(1, options.single() / 2), () -> target.trigger(one, 1));
                singleMedians[t] = median(sample(options.single(), () -> target.trigger(one, 1)));
            }
            copy.close();
            bulk.close();

            progress(err, "concurrency");
            double concurrency = concurrency(n, options, row);
            row.close();

            Double cpythonRate = null;
            String cpythonNote = "skipped (--python none)";
            if (!options.python().equals("none")) {
                progress(err, "cpython");
                CPython cpython = cpython(options, data);
                cpythonRate = cpython.rate();
                cpythonNote = cpython.note();
            }

            report(out, options, jit, data.length, coldNanos, warmUp, timedCompilerShare, copyRate, rowRate, bulkRate,
                    spread, cpythonRate, cpythonNote, singleMedians, concurrency);
            return RestrictedPythonCommand.EXIT_OK;
        } finally {
            close(targets);
        }
    }

    /**
     * Untimed rounds of every contender: at least {@code --warmup}, then more until a round in which the JIT's compiler
     * used less than {@link #SETTLED_COMPILER_SHARE} of a core, for at most {@code --settle} seconds. Timing while it
     * still compiles would measure the compiler's warm-up (it shares the machine) rather than the contenders.
     */
    private WarmUp warmUp(List<BenchTarget> targets, byte[] data, int n, Options options, PrintStream err) {
        JitActivity.Window all = jitActivity.start();
        int rounds = 0;
        double lastShare = 0;
        while (keepWarming(options, rounds, all.elapsedNanos(), lastShare)) {
            progress(err, "warm-up: round " + (rounds + 1) + " of " + n + " records"
                    + (rounds > 0 ? String.format(Locale.ROOT, " (JIT compiler at %.0f%% of a core)", 100 * lastShare) : ""));
            JitActivity.Window round = jitActivity.start();
            for (BenchTarget target : targets) {
                target.trigger(data, n);
            }
            rounds++;
            lastShare = round.compilerShare();
        }
        return new WarmUp(rounds, all.elapsedNanos() / 1e9, lastShare);
    }

    /**
     * Whether another warm-up round is due after {@code rounds} of them, {@code elapsedNanos} in all, the last with
     * the compiler at {@code lastShare} of a core: until {@code --warmup} rounds, then while the compiler is busy
     * (a round at least, to know) and the {@code --settle} time lasts.
     */
    static boolean keepWarming(Options options, int rounds, long elapsedNanos, double lastShare) {
        if (rounds < options.warmup()) {
            return true;
        }
        boolean compiling = rounds == 0 || lastShare >= SETTLED_COMPILER_SHARE;
        return compiling && elapsedNanos < TimeUnit.SECONDS.toNanos(options.settleSeconds());
    }

    private static void close(List<BenchTarget> targets) {
        for (BenchTarget target : targets) {
            target.close();
        }
    }

    /**
     * Throughput of row mode with 2 concurrent tasks over the throughput with 1 ({@code single}, the scheduled row
     * contender), on many FlowFiles of up to 1000 records.
     */
    private static double concurrency(int n, Options options, BenchTarget single) {
        int chunk = Math.max(1, Math.min(CONCURRENT_CHUNK, n / 8));
        List<byte[]> flowFiles = new ArrayList<>();
        int total = 0;
        for (int first = 0; first < n; first += chunk) {
            int count = Math.min(chunk, n - first);
            flowFiles.add(BenchData.records(first, count));
            total += count;
        }
        byte[] one = BenchData.records(0, 1);
        BenchTarget dual = BenchTarget.statement("row x2", BenchData.STATEMENT, ProcessingMode.ROW_BY_ROW, 2);
        try {
            dual.start(one, 1);
            int expected = total;
            for (int round = 0; round < Math.max(1, options.warmup()); round++) {
                single.triggerAll(flowFiles, expected);
                dual.triggerAll(flowFiles, expected);
            }
            long[] one1 = new long[options.rounds()];
            long[] two = new long[options.rounds()];
            for (int round = 0; round < options.rounds(); round++) {
                one1[round] = single.triggerAll(flowFiles, expected);
                two[round] = dual.triggerAll(flowFiles, expected);
            }
            return (double) median(one1) / median(two);
        } finally {
            dual.close();
        }
    }

    private record CPython(Double rate, String note) {
    }

    private static final Pattern CPYTHON_RESULT = Pattern.compile("\\{\"records\": (\\d+), \"seconds\": \\[([^]]*)]}");

    /** python3 over the same file and statement, timed inside Python (its start-up is not counted). */
    private static CPython cpython(Options options, byte[] data) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("restricted-python-bench");
            Path dataFile = Files.write(dir.resolve("records.json"), data);
            Path statementFile = Files.writeString(dir.resolve("statement.py"), BenchData.STATEMENT);
            Path script = dir.resolve("bench_cpython.py");
            try (InputStream in = BenchCommand.class.getResourceAsStream("bench_cpython.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process process;
            try {
                process = new ProcessBuilder(options.python(), script.toString(), dataFile.toString(),
                        statementFile.toString(), String.valueOf(options.rounds()), String.valueOf(options.warmup()))
                        .redirectErrorStream(true)
                        .start();
            } catch (IOException e) {
                return new CPython(null, "no " + options.python() + " on this machine");
            }
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                return new CPython(null, options.python() + " failed: " + output);
            }
            Matcher matcher = CPYTHON_RESULT.matcher(output.lines().reduce((a, b) -> b).orElse(""));
            if (!matcher.matches() || Integer.parseInt(matcher.group(1)) != options.records()) {
                return new CPython(null, options.python() + " gave an unexpected answer: " + output);
            }
            long[] nanos = Arrays.stream(matcher.group(2).split(","))
                    .mapToLong(seconds -> Math.round(Double.parseDouble(seconds.strip()) * 1e9)).toArray();
            return new CPython(rate(options.records(), median(nanos)), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new CPython(null, "interrupted");
        } finally {
            deleteQuietly(dir);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    private static void report(PrintStream out, Options options, boolean jit, int bytes, long coldNanos,
                               WarmUp warmUp, double timedCompilerShare, double copy, double row, double bulk,
                               String spread, Double cpython, String cpythonNote,
                               long[] singleMedians, double concurrency) {
        out.printf(Locale.ROOT, "restricted-python bench: %d records (%.1f MB of JSON) per FlowFile, median of %d "
                        + "round(s), GraalPy %s, heap %d MB%n", options.records(), bytes / 1e6, options.rounds(),
                jit ? "with the Graal JIT" : "interpreter-only (no JIT)", Runtime.getRuntime().maxMemory() >> 20);
        out.printf(Locale.ROOT, "  warm-up: %d round(s) of every contender in %.0f s; the JIT's compiler used %.0f%% of a "
                        + "core in the last one%s, %.0f%% during the timed rounds%n", warmUp.rounds(), warmUp.seconds(),
                100 * warmUp.lastCompilerShare(), !jit || warmUp.settled() ? ""
                        : options.settleSeconds() > 0 ? " (still compiling at the --settle limit)" : " (not settled)",
                100 * timedCompilerShare);
        if (options.noJit() && jit) {
            out.println("  note: --no-jit takes effect through the launcher; this JVM has the JIT on");
        }
        out.printf(Locale.ROOT, "  %-8s %12s records/s%n", "copy", grouped(copy));
        out.printf(Locale.ROOT, "  %-8s %12s records/s  %5.2fx copy%s%n", "row", grouped(row), row / copy, versus(row, cpython));
        out.printf(Locale.ROOT, "  %-8s %12s records/s  %5.2fx copy%s%n", "bulk", grouped(bulk), bulk / copy, versus(bulk, cpython));
        if (cpython != null) {
            out.printf(Locale.ROOT, "  %-8s %12s records/s  %5.2fx copy%n", "cpython", grouped(cpython), cpython / copy);
        } else {
            out.printf(Locale.ROOT, "  %-8s %12s (%s)%n", "cpython", "-", cpythonNote);
        }
        out.printf(Locale.ROOT, "  timed rounds, slowest to fastest: %s%n", spread);
        out.printf(Locale.ROOT, "  single-record FlowFile, warm, median: row %.2f ms, bulk %.2f ms, copy %.2f ms%n",
                singleMedians[1] / 1e6, singleMedians[2] / 1e6, singleMedians[0] / 1e6);
        out.printf(Locale.ROOT, "  cold start (scheduling to the first FlowFile out, first processor of the JVM): %.2f s, %s%n",
                coldNanos / 1e9, hasAotCache() ? "classes from the launcher's AOT cache"
                        : "classes loaded from the jars (no AOT cache)");
        out.printf(Locale.ROOT, "  2 concurrent tasks: %.2fx the throughput of 1 (row mode, FlowFiles of up to %d records)%n",
                concurrency, CONCURRENT_CHUNK);
        out.printf(Locale.ROOT, "BENCH {\"records\":%d,\"copy\":%d,\"row\":%d,\"bulk\":%d,\"cpython\":%s,\"jit\":%s}%n",
                options.records(), Math.round(copy), Math.round(row), Math.round(bulk),
                cpython == null ? "null" : String.valueOf(Math.round(cpython)), jit);
    }

    /** Whether this JVM was started with an AOT cache (the launcher's, on JDK 25+): most of a cold start depends on it. */
    private static boolean hasAotCache() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(argument -> argument.startsWith("-XX:AOTCache="));
    }

    /** Per contender, its slowest and fastest timed round in records per second: how steady the machine was. */
    private static String spread(int records, List<BenchTarget> targets, long[][] times) {
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < targets.size(); t++) {
            long[] sorted = times[t].clone();
            Arrays.sort(sorted);
            text.append(t == 0 ? "" : ", ").append(targets.get(t).name()).append(' ')
                    .append(grouped(rate(records, sorted[sorted.length - 1]))).append('-')
                    .append(grouped(rate(records, sorted[0])));
        }
        return text.toString();
    }

    private static String versus(double rate, Double cpython) {
        return cpython == null ? "" : String.format(Locale.ROOT, "  %5.2fx cpython", rate / cpython);
    }

    private static String grouped(double rate) {
        return String.format(Locale.ROOT, "%,d", Math.round(rate));
    }

    private static void progress(PrintStream err, String step) {
        err.println("bench: " + step + "...");
    }

    private static long[] sample(int count, LongSupplier measurement) {
        long[] samples = new long[count];
        for (int i = 0; i < count; i++) {
            samples[i] = measurement.getAsLong();
        }
        return samples;
    }

    static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double rate(int records, long nanos) {
        return records * 1e9 / Math.max(1, nanos);
    }
}
