package dev.restrictedpython.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * How busy the Graal JIT is: the CPU time of Truffle's compiler threads. The bench warms up until they go quiet,
 * because on a small machine the compiler (itself Java, warming up on the stock JDK) runs for tens of seconds after
 * the first FlowFiles (measured on 2 cores: the last hot functions were compiled ~40 s in), taking a core from the
 * contenders it is compiling.
 */
final class JitActivity {

    /** Truffle names its compiler threads so; a JVM without them (interpreter-only) reports no activity. */
    private static final String COMPILER_THREAD_PREFIX = "TruffleCompilerThread";

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final boolean measurable = threads.isThreadCpuTimeSupported();

    /** Each compiler thread's CPU time when last looked at, by thread id. */
    private final Map<Long, Long> seen = new HashMap<>();
    private long accumulated;

    /**
     * CPU nanoseconds the compiler threads have used since the first call, never decreasing: Truffle ends a compiler
     * thread after 10 s without work and starts a new one for the next, so a sum over the threads alive now would
     * drop when one ends. Counts what each thread used since it was last looked at (0 where thread CPU time is not
     * measurable).
     */
    synchronized long compilerCpuNanos() {
        if (!measurable) {
            return 0;
        }
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(COMPILER_THREAD_PREFIX)) {
                long cpu = threads.getThreadCpuTime(info.getThreadId());
                if (cpu >= 0) {
                    Long before = seen.put(info.getThreadId(), cpu);
                    accumulated += cpu - (before == null ? 0 : before);
                }
            }
        }
        return accumulated;
    }

    /** A window of time: the share of one core the compiler used in it. */
    Window start() {
        return new Window(System.nanoTime(), compilerCpuNanos());
    }

    final class Window {
        private final long startedNanos;
        private final long compilerNanosAtStart;

        private Window(long startedNanos, long compilerNanosAtStart) {
            this.startedNanos = startedNanos;
            this.compilerNanosAtStart = compilerNanosAtStart;
        }

        long elapsedNanos() {
            return System.nanoTime() - startedNanos;
        }

        /** Compiler CPU time over wall time since the window started: 0.25 is a quarter of one core. */
        double compilerShare() {
            long wall = Math.max(1, elapsedNanos());
            return (compilerCpuNanos() - compilerNanosAtStart) / (double) wall;
        }
    }
}
