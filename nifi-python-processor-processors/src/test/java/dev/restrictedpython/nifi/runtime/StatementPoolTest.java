package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Scheduling builds one context; tasks build the rest on demand, never more than one per task. */
class StatementPoolTest {

    private static final SandboxSettings SETTINGS = new SandboxSettings(false,
            new RunLimits(Duration.ofSeconds(10), 256L * 1024 * 1024));
    private static final RunInput NO_INPUT = new RunInput(null, Map.of(), Map.of());

    @Test
    void contextsAreBuiltWhenTasksNeedThemUpToOnePerTask() throws Exception {
        try (StatementPool pool = StatementPool.open("return [{'ok': True}]", SETTINGS, 2)) {
            assertEquals(1, pool.contextCount(), "scheduling builds one context");

            PythonStatement first = pool.borrow();
            PythonStatement second = pool.borrow();
            assertNotSame(first, second);
            assertEquals(2, pool.contextCount(), "a second task short of a context built one");
            assertEquals(List.of(Map.of("ok", true)), second.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }));

            // a third task waits for a context to come back instead of building a third
            CompletableFuture<PythonStatement> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return pool.borrow();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThrows(TimeoutException.class, () -> third.get(300, TimeUnit.MILLISECONDS));
            pool.release(first);
            assertSame(first, third.get(10, TimeUnit.SECONDS));
            assertEquals(2, pool.contextCount());
            pool.release(second);
            pool.release(first);
        }
    }

    @Test
    void aStatementThatDoesNotCompileFailsAtOpen() {
        StatementException e = assertThrows(StatementException.class,
                () -> StatementPool.open("x: int = 1\nreturn []", SETTINGS, 4));
        assertEquals("SyntaxError", e.failure().type());
    }
}
