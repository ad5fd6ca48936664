package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile values returned to the host, and work that a single Python call would do without ever reaching a point
 * where the Statement Timeout can stop it. The host converts the returned value (validation, then encoding for
 * Java) inside the watched run, so a returned object whose {@code __iter__}, {@code items}, {@code __len__},
 * {@code __str__}, {@code __int__} or {@code __float__} loops ends as a failure within the timeout, and the same
 * context runs the next statement. One compiled statement holds every attack; the {@code attack} property picks one.
 */
class SandboxOutputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final long WITHIN_MILLIS = TIMEOUT.toMillis() + 1500;
    private static final SandboxSettings SETTINGS = new SandboxSettings(false,
            new RunLimits(TIMEOUT, 256L * 1024 * 1024));
    private static final StatementLog QUIET = (level, message, line) -> { };

    private static final String STATEMENT = """
            attack = PROPERTIES.get('attack')
            class EndlessList(list):
                def __iter__(self):
                    while True:
                        yield {'a': 1}
            class LoopingItems(dict):
                def items(self):
                    while True:
                        pass
            class LoopingLen(dict):
                def __len__(self):
                    while True:
                        pass
            class LoopingStr(str):
                def __str__(self):
                    while True:
                        pass
            class LoopingInt(int):
                def __int__(self):
                    while True:
                        pass
                def __index__(self):
                    while True:
                        pass
            class LoopingFloat(float):
                def __float__(self):
                    while True:
                        pass
            class LoopingRepr:
                def __repr__(self):
                    while True:
                        pass
                def __str__(self):
                    while True:
                        pass
            class LoopingKeys(dict):
                def keys(self):
                    while True:
                        pass
            class Finalizer:
                def __del__(self):
                    while True:
                        pass
            if attack == 'keys':
                return [LoopingKeys(a=1)]
            if attack == 'finalizer':
                for i in range(1000):
                    leak = Finalizer()
                leak = None
                return [{'created': True}]
            if attack == 'iter':
                return EndlessList()
            if attack == 'items':
                return [LoopingItems(a=1)]
            if attack == 'len':
                return [LoopingLen(a=1)]
            if attack == 'str':
                return [{'a': LoopingStr('x')}]
            if attack == 'int':
                return [{'a': LoopingInt(5)}]
            if attack == 'float':
                return [{'a': LoopingFloat(1.5)}]
            if attack == 'repr':
                return [{'a': LoopingRepr()}]
            if attack == 'shared':
                x = ['a'] * 10
                for i in range(9):
                    x = [x] * 10
                return [{'a': x}]
            if attack == 'yaml':
                import yaml
                levels = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
                for n in range(1, 9):
                    levels.append('%s: &%s [%s]' % (chr(97 + n), chr(97 + n), ', '.join(['*' + chr(96 + n)] * 9)))
                return [yaml.safe_load('\\n'.join(levels))]
            if attack == 'pow':
                return [{'a': 10 ** 10 ** 8}]
            if attack == 'sum-range':
                return [{'a': sum(range(10 ** 15))}]
            if attack == 'max-range':
                return [{'a': max(range(10 ** 15))}]
            if attack == 'sorted-range':
                return [{'a': len(sorted(range(10 ** 15)))}]
            if attack == 'any-repeat':
                import itertools
                return [{'a': any(itertools.repeat(False))}]
            if attack == 'sum-count':
                import itertools
                return [{'a': sum(itertools.count())}]
            if attack == 'product':
                import itertools
                return [{'a': len(list(itertools.product(range(10), repeat=12)))}]
            if attack == 'iter-sentinel':
                return [{'a': sum(iter(int, 1))}]
            if attack == 'json-shared':
                import json
                x = ['a'] * 10
                for i in range(9):
                    x = [x] * 10
                return [{'a': len(json.dumps(x))}]
            return [{'reused': True}]
            """;

    private static PythonStatement statement;

    @BeforeAll
    static void compile() throws StatementException {
        statement = PythonStatement.compile(STATEMENT, SETTINGS);
    }

    @AfterAll
    static void close() {
        statement.close();
    }

    private static List<Map<String, Object>> run(String attack) throws StatementException {
        return statement.runBulk(List.of(), new RunInput(null, Map.of(), Map.of("attack", attack)), QUIET);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "iter|TimeoutError MemoryError",
            "items|TimeoutError",
            "len|TimeoutError",
            "str|TimeoutError",
            "int|TimeoutError",
            "float|TimeoutError",
            "repr|TypeError",
            "shared|TimeoutError MemoryError",
            "yaml|TimeoutError MemoryError",
            "pow|OverflowError",
            "sum-range|TimeoutError MemoryError",
            "max-range|TimeoutError MemoryError",
            "sorted-range|TimeoutError MemoryError",
            "any-repeat|TimeoutError MemoryError",
            "sum-count|TimeoutError MemoryError",
            "product|TimeoutError MemoryError",
            "iter-sentinel|TimeoutError MemoryError",
    })
    void endsAsAFailureWithinTheTimeoutAndTheContextRunsOn(String attack, String types) throws StatementException {
        long start = System.nanoTime();
        StatementException e;
        try {
            List<Map<String, Object>> out = run(attack);
            throw new AssertionError(attack + " was not refused: it returned " + out);
        } catch (StatementException failed) {
            e = failed;
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(List.of(types.split(" ")).contains(e.failure().type()), e.failure().describe());
        assertTrue(millis < WITHIN_MILLIS, attack + " took " + millis + " ms: " + e.failure().describe());
        assertTrue(statement.isUsable(), "the context is still usable");
        assertEquals(List.of(Map.of("reused", true)), run("none"), "the next run works");
    }

    /** Include Input Fields lays each returned dict over its input row: a looping keys() must not hang it. */
    @org.junit.jupiter.api.Test
    void aLoopingKeysMethodCannotHangTheMergeWithTheInputRow() throws StatementException {
        long start = System.nanoTime();
        try {
            List<Map<String, Object>> out = statement.runRows(List.of(Map.of("go", 1)),
                    new RunInput(null, Map.of(), Map.of("attack", "keys")), true, QUIET);
            assertEquals(List.of(Map.of("go", 1L, "a", 1L)), out, "keys() was never called");
        } catch (StatementException e) {
            assertTrue(List.of("TimeoutError", "MemoryError").contains(e.failure().type()), e.failure().describe());
        }
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < WITHIN_MILLIS);
        assertEquals(List.of(Map.of("reused", true)), run("none"), "the next run works");
    }

    /** Objects whose __del__ loops, dropped by one run, neither hang the next runs nor closing the context. */
    @org.junit.jupiter.api.Test
    void loopingFinalizersHangNeitherLaterRunsNorClose() throws StatementException {
        SandboxSettings settings = new SandboxSettings(false, new RunLimits(TIMEOUT, 256L * 1024 * 1024));
        PythonStatement own = PythonStatement.compile(STATEMENT, settings);
        try {
            assertEquals(List.of(Map.of("created", true)), own.runBulk(List.of(),
                    new RunInput(null, Map.of(), Map.of("attack", "finalizer")), QUIET));
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                try {
                    assertEquals(List.of(Map.of("reused", true)), own.runBulk(List.of(),
                            new RunInput(null, Map.of(), Map.of("attack", "none")), QUIET));
                } catch (StatementException e) {
                    assertEquals("TimeoutError", e.failure().type(), e.failure().describe());
                }
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < WITHIN_MILLIS);
            }
        } finally {
            long start = System.nanoTime();
            own.close();
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000, "close returned");
        }
    }

    /**
     * {@code json.dumps} of the standard library encodes in one Java call the Statement Timeout cannot stop: a
     * structure of shared references (10 ** 10 strings from a few hundred bytes) ran it for about 25 s with a 2 s
     * timeout. The statement's {@code json} always encodes step by step in Python (about 6x slower per call), so
     * the timeout ends it.
     */
    @Test
    void jsonDumpsOfASharedStructureEndsWithinTheTimeout() throws StatementException {
        long start = System.nanoTime();
        StatementException e = assertThrows(StatementException.class, () -> run("json-shared"));
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < WITHIN_MILLIS, e.failure().describe());
    }
}
