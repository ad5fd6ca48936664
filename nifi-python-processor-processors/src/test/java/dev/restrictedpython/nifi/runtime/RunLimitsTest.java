package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Statement Timeout, the memory guard, recursion and stopping: each ends the run, never the JVM. */
class RunLimitsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final SandboxSettings NETWORK = new SandboxSettings(true, new RunLimits(TIMEOUT, 256L * 1024 * 1024));
    private static final SandboxSettings NO_NETWORK = new SandboxSettings(false, new RunLimits(TIMEOUT, 256L * 1024 * 1024));
    private static final SandboxSettings SMALL_MEMORY = new SandboxSettings(false,
            new RunLimits(Duration.ofSeconds(60), 64L * 1024 * 1024));
    private static final RunInput NO_INPUT = new RunInput(null, Map.of(), Map.of());
    private static final StatementLog QUIET = (level, message, line) -> { };

    private static ServerSocket silentServer;
    private static final List<Socket> accepted = new ArrayList<>();

    @BeforeAll
    static void startSilentServer() throws IOException {
        // accepts connections and never answers: a read on them blocks until the run is stopped
        silentServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!silentServer.isClosed()) {
                try {
                    accepted.add(silentServer.accept());
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterAll
    static void stopServer() throws IOException {
        silentServer.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    /** Runs a statement that must hit a limit; asserts it ends within timeout + 1 s and the context still works. */
    private static StatementFailure stoppedWithin(String source, SandboxSettings settings, long maxMillis) throws Exception {
        try (PythonStatement statement = PythonStatement.compile(source, settings)) {
            long start = System.nanoTime();
            StatementException e = assertThrows(StatementException.class,
                    () -> statement.runBulk(List.of(Map.of("go", true)), NO_INPUT, QUIET));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < maxMillis, "took " + millis + " ms: " + e.failure());
            assertEquals(List.of(Map.of("reused", true)), statement.runBulk(List.of(), NO_INPUT, QUIET),
                    "the context is usable after the limit");
            return e.failure();
        }
    }

    private static final String REUSE = "if not INPUT_DATA:\n    return [{'reused': True}]\n";

    @ParameterizedTest
    @ValueSource(strings = {
            "while True:\n    pass",
            "import time\ntime.sleep(60)",
            "await sleep(60)",
            "x = 0\nwhile True:\n    x = (x + 1) % 7",
    })
    void timeoutStopsTheRun(String body) throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + body + "\nreturn []", NETWORK, TIMEOUT.toMillis() + 1000);
        assertEquals("TimeoutError", failure.type());
        assertEquals("the statement ran longer than the Statement Timeout of 2 seconds", failure.message());
    }

    @Test
    void timeoutStopsABlockedSocketRead() throws Exception {
        // ssl.socket is the socket class, reachable under the import rule: a plain socket blocked on a silent peer
        String body = "import ssl\ns = ssl.socket()\ns.connect(('127.0.0.1', " + silentServer.getLocalPort()
                + "))\ndata = s.recv(10)";
        StatementFailure failure = stoppedWithin(REUSE + body + "\nreturn []", NETWORK, TIMEOUT.toMillis() + 1000);
        assertEquals("TimeoutError", failure.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "x = []\nwhile True:\n    x.append([0] * 100000)",
            "x = []\nwhile True:\n    x.append(bytearray(10**6))",
            "x = {}\ni = 0\nwhile True:\n    i += 1\n    x[i] = [i] * 1000",
    })
    void memoryGuardEndsAllocatingStatements(String body) throws Exception {
        long heapBefore = usedHeap();
        StatementFailure failure = stoppedWithin(REUSE + body + "\nreturn []", SMALL_MEMORY, 30_000);
        assertEquals("MemoryError", failure.type(), failure.describe());
        assertEquals("the statement allocated more than the Memory Limit of 64 MB", failure.message());
        assertTrue(usedHeap() - heapBefore < 512L * 1024 * 1024, "the heap was given back");
    }

    /** GraalPy builds repeated and concatenated strings lazily, so these never allocate much: the timeout ends them. */
    @ParameterizedTest
    @ValueSource(strings = {
            "x = []\nwhile True:\n    x.append('a' * 10**6)",
            "s = 'a'\nwhile True:\n    s = s + s",
    })
    void lazyStringGrowthEndsByTimeoutOrMemoryGuard(String body) throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + body + "\nreturn []", NETWORK, 10_000);
        assertTrue(failure.type().equals("MemoryError") || failure.type().equals("TimeoutError"), failure.describe());
    }

    private static long usedHeap() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void deepRecursionIsARecursionError() throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + "def f(n):\n    return f(n + 1)\nf(0)\nreturn []",
                NETWORK, 10_000);
        assertEquals("RecursionError", failure.type());
    }

    @ParameterizedTest
    @ValueSource(strings = {"'a' * 10**10", "[0] * 10**10"})
    void impossibleSizesFailWithAPlainError(String expression) throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + "x = " + expression + "\nreturn []", NETWORK, 10_000);
        assertTrue(failure.type().equals("OverflowError") || failure.type().equals("MemoryError"), failure.describe());
        assertEquals(3, failure.line());
    }

    /** 10^8 output records: building them or handing them to the host ends by a limit, not by NiFi's heap. */
    @ParameterizedTest
    @ValueSource(strings = {"return [{'a': 1}] * 10**8", "return [{'a': i} for i in range(10**8)]"})
    void aHundredMillionOutputRecordsEndByALimit(String body) throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + body, NETWORK, 10_000);
        assertTrue(failure.type().equals("MemoryError") || failure.type().equals("TimeoutError"), failure.describe());
    }

    /**
     * re is not importable, but string.Template matches with a pattern the statement chooses. GraalPy's regex engine
     * matches most patterns without backtracking (an automaton), so {@code (a+)+b} is harmless; a back-reference
     * forces its backtracking engine, and then the timeout must end it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"(a+)+b", "(a|aa)+\\2b"})
    void catastrophicBacktrackingEndsWithinTheTimeout(String regex) throws Exception {
        String body = "import string\n"
                + "class Evil(string.Template):\n"
                + "    pattern = r'(?P<escaped>" + regex + ")|(?P<named>x)|(?P<braced>y)|(?P<invalid>z)'\n"
                + "return [{'out': Evil('a' * 60).substitute()}]";
        try (PythonStatement statement = PythonStatement.compile(body, NETWORK)) {
            long start = System.nanoTime();
            try {
                statement.runBulk(List.of(), NO_INPUT, QUIET);
            } catch (StatementException e) {
                assertEquals("TimeoutError", e.failure().type(), e.failure().describe());
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < TIMEOUT.toMillis() + 1000, "took " + millis + " ms");
        }
    }

    @Test
    void exitThroughSystemExitEndsTheRunNotTheJvm() throws Exception {
        StatementFailure failure = stoppedWithin(REUSE + "raise SystemExit(3)\nreturn []", NETWORK, 10_000);
        assertEquals("SystemExit", failure.type());
    }

    @Test
    void networkDeniedMeansNoSocketAtAll() throws Exception {
        String body = "import ssl\ns = ssl.socket()\ns.connect(('127.0.0.1', " + silentServer.getLocalPort() + "))";
        int before = accepted.size();
        StatementFailure failure = stoppedWithin(REUSE + body + "\nreturn []", NO_NETWORK, 10_000);
        assertTrue(failure.line() != null && failure.line() >= 3, failure.describe());
        Thread.sleep(200);
        assertEquals(before, accepted.size(), "no connection reached the server");
    }

    @Test
    void interruptStopsARunningStatementPromptly() throws Exception {
        SandboxSettings longTimeout = new SandboxSettings(false, new RunLimits(Duration.ofMinutes(5), 1L << 30));
        try (StatementPool pool = StatementPool.open("while True:\n    pass", longTimeout, 1)) {
            PythonStatement statement = pool.borrow();
            CompletableFuture<StatementFailure> run = CompletableFuture.supplyAsync(() -> {
                try {
                    statement.runBulk(List.of(), NO_INPUT, QUIET);
                    return null;
                } catch (StatementException e) {
                    return e.failure();
                }
            });
            Thread.sleep(500);
            long start = System.nanoTime();
            pool.interruptAll();
            StatementFailure failure = run.get(5, TimeUnit.SECONDS);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2000);
            assertEquals("Interrupted", failure.type());
            pool.release(statement);
        }
    }
}
