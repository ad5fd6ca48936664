package dev.restrictedpython.nifi.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The compiled statement once per concurrent task of a processor: the first context is built when the processor
 * is scheduled (so a statement that cannot compile stops it there), the others by the first tasks that find none
 * idle, up to one per concurrent task; borrowed and returned around each trigger, closed when it stops. Contexts
 * never see each other's globals.
 */
public final class StatementPool implements AutoCloseable {

    private final String statement;
    private final SandboxSettings settings;
    private final int size;
    private final BlockingQueue<PythonStatement> idle;
    private final List<PythonStatement> all = new CopyOnWriteArrayList<>();
    // contexts built or being built; never more than size
    private final AtomicInteger claimed = new AtomicInteger();
    private volatile boolean closed;

    private StatementPool(String statement, SandboxSettings settings, int size) {
        this.statement = statement;
        this.settings = settings;
        this.size = size;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * Compiles the statement in a first context; up to {@code size} contexts exist once that many tasks ran at once.
     * Each later context costs 0.5-0.7 s (measured 2026-11-27, GraalPy 25.0.3 with the JIT), paid by the task that
     * needs it rather than by scheduling.
     *
     * @throws StatementException when the statement does not compile
     */
    public static StatementPool open(String statement, SandboxSettings settings, int size) throws StatementException {
        StatementPool pool = new StatementPool(statement, settings, size);
        pool.claimed.set(1);
        PythonStatement first = PythonStatement.compile(statement, settings);
        pool.all.add(first);
        pool.idle.add(first);
        return pool;
    }

    /** A context for the calling task: an idle one, a new one while fewer than one per task exist, or the next freed. */
    public PythonStatement borrow() throws InterruptedException, StatementException {
        PythonStatement ready = idle.poll();
        if (ready != null) {
            return ready;
        }
        if (claimed.getAndUpdate(count -> count < size ? count + 1 : count) < size) {
            PythonStatement fresh;
            try {
                fresh = PythonStatement.compile(statement, settings);
            } catch (StatementException | RuntimeException e) {
                claimed.decrementAndGet();
                throw e;
            }
            all.add(fresh);
            if (closed) {
                all.remove(fresh);
                fresh.close();
                throw new IllegalStateException("the processor stopped while a Python context was being built");
            }
            return fresh;
        }
        return idle.take();
    }

    /** Gives a context back; one that can no longer run is closed, and the next task short of one builds another. */
    public void release(PythonStatement compiled) {
        if (compiled.isUsable()) {
            idle.add(compiled);
            return;
        }
        all.remove(compiled);
        compiled.close();
        claimed.decrementAndGet();
    }

    /** How many contexts exist now. */
    int contextCount() {
        return all.size();
    }

    /** Interrupts every run in progress (the processor is being unscheduled). */
    public void interruptAll() {
        for (PythonStatement compiled : all) {
            compiled.interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        List<PythonStatement> toClose = new ArrayList<>(all);
        all.clear();
        idle.clear();
        for (PythonStatement compiled : toClose) {
            compiled.close();
        }
    }
}
