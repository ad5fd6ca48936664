package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;

/**
 * Measures (does not assert) what the bundle costs: context start with the virtual file system, and the time and
 * allocated bytes of each module's first import, in a first, second and third context of the shared engine.
 * Opt-in, as it takes minutes: {@code mvn test -Dtest=ThirdPartyImportCostTest -Dthirdparty.measure=true}.
 * The numbers are in docs/third-party-modules.md.
 */
@EnabledIfSystemProperty(named = "thirdparty.measure", matches = "true")
class ThirdPartyImportCostTest {

    private static final String[] MODULES = {"yaml", "httpx", "deepdiff", "jose.jwt", "passlib.hash", "openai"};
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void measure() {
        long start = System.nanoTime();
        BundledPackages.get();
        System.out.printf("MEASURE virtual file system opened in %d ms (once per class loader)%n", millisSince(start));
        for (String module : MODULES) {
            StringBuilder line = new StringBuilder("MEASURE import " + module + ":");
            for (int round = 1; round <= 3; round++) {
                long contextStart = System.nanoTime();
                try (Context context = PythonSandbox.newContext(true, new ByteArrayOutputStream(),
                        new ByteArrayOutputStream())) {
                    long contextMillis = millisSince(contextStart);
                    long allocated = THREADS.getCurrentThreadAllocatedBytes();
                    long importStart = System.nanoTime();
                    context.eval("python", "import " + module);
                    line.append(String.format(" [context %d: start %d ms, import %d ms, %d MB allocated]", round,
                            contextMillis, millisSince(importStart),
                            (THREADS.getCurrentThreadAllocatedBytes() - allocated) >> 20));
                }
            }
            System.out.println(line);
        }
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
