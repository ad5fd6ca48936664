package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Watches running statements from outside and interrupts a context whose current run exceeds its
 * {@link RunLimits}. The statement reports the start of each run by bumping {@code heartbeat[0]}, so a
 * row-by-row FlowFile of a million records is timed per record, not as a whole. Allocation is read from the
 * JVM's per-thread allocated-bytes counter, which costs nothing while the statement runs.
 */
final class RunWatchdog {

    enum Breach { TIMEOUT, ALLOCATION }

    private static final long POLL_MILLIS = 10;
    private static final Duration INTERRUPT_WAIT = Duration.ofSeconds(10);
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static final ScheduledExecutorService SCHEDULER = newScheduler();

    /** One daemon thread, gone after a minute without runs, so an unloaded NAR is not pinned by it. */
    private static ScheduledExecutorService newScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "restricted-python-watchdog");
            thread.setDaemon(true);
            thread.setContextClassLoader(null);
            return thread;
        });
        scheduler.setKeepAliveTime(1, TimeUnit.MINUTES);
        scheduler.allowCoreThreadTimeOut(true);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    private RunWatchdog() {
    }

    /** Starts watching the calling thread's work in {@code context}; close the watch when the call returns. */
    static Watch watch(Context context, long[] heartbeat, RunLimits limits) {
        Watch watch = new Watch(context, heartbeat, limits, Thread.currentThread().threadId());
        watch.future = SCHEDULER.scheduleWithFixedDelay(watch::check, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    static final class Watch implements AutoCloseable {
        private final Context context;
        private final long[] heartbeat;
        private final RunLimits limits;
        private final long threadId;
        private volatile ScheduledFuture<?> future;
        private volatile Breach breach;
        private volatile Thread interrupter;
        private long lastBeat = -1;
        private long runStartNanos;
        private long runStartAllocated;

        private Watch(Context context, long[] heartbeat, RunLimits limits, long threadId) {
            this.context = context;
            this.heartbeat = heartbeat;
            this.limits = limits;
            this.threadId = threadId;
            this.runStartNanos = System.nanoTime();
            this.runStartAllocated = THREADS.getThreadAllocatedBytes(threadId);
        }

        /** What the run broke, or null. */
        Breach breach() {
            return breach;
        }

        private void check() {
            if (breach != null) {
                return;
            }
            long beat = heartbeat[0];
            long now = System.nanoTime();
            long allocated = THREADS.getThreadAllocatedBytes(threadId);
            if (beat != lastBeat) {
                lastBeat = beat;
                runStartNanos = now;
                runStartAllocated = allocated;
                return;
            }
            if (now - runStartNanos > limits.timeout().toNanos()) {
                stop(Breach.TIMEOUT);
            } else if (allocated - runStartAllocated > limits.allocationLimitBytes()) {
                stop(Breach.ALLOCATION);
            }
        }

        private void stop(Breach reason) {
            breach = reason;
            future.cancel(false);
            // interrupt() waits for the guest to stop; do not hold the watchdog thread meanwhile.
            interrupter = Thread.ofVirtual().start(() -> {
                try {
                    context.interrupt(INTERRUPT_WAIT);
                } catch (Exception ignored) {
                    // the run ended or the context closed while we were stopping it
                }
            });
        }

        /** Stops watching; after a breach, waits for the interrupt to land so it cannot hit the next run. */
        @Override
        public void close() {
            future.cancel(false);
            Thread pending = interrupter;
            if (pending != null) {
                long deadline = System.nanoTime() + INTERRUPT_WAIT.toNanos();
                while (pending.isAlive() && System.nanoTime() < deadline) {
                    try {
                        pending.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                    } catch (InterruptedException e) {
                        // the flag Truffle set to wake the blocked guest: cleared below
                    }
                }
                // Truffle wakes a guest blocked in sleep or I/O with Thread.interrupt() and may leave the flag set;
                // left set, every sleep of the next run on this thread would end at once and be retried in a loop
                Thread.interrupted();
            }
        }
    }
}
