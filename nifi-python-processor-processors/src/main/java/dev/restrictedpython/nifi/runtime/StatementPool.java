package dev.restrictedpython.nifi.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The compiled statement once per concurrent task of a processor: built when the processor is scheduled,
 * borrowed and returned around each trigger, closed when it stops. Contexts never see each other's globals.
 */
public final class StatementPool implements AutoCloseable {

    private final String statement;
    private final SandboxSettings settings;
    private final BlockingQueue<PythonStatement> idle;
    private final List<PythonStatement> all = new CopyOnWriteArrayList<>();

    private StatementPool(String statement, SandboxSettings settings, int size) {
        this.statement = statement;
        this.settings = settings;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    /**
     * Compiles the statement in {@code size} fresh contexts.
     *
     * @throws StatementException when the statement does not compile (reported once, from the first context)
     */
    public static StatementPool open(String statement, SandboxSettings settings, int size) throws StatementException {
        StatementPool pool = new StatementPool(statement, settings, size);
        try {
            for (int i = 0; i < size; i++) {
                pool.add(PythonStatement.compile(statement, settings));
            }
        } catch (StatementException | RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    private void add(PythonStatement compiled) {
        all.add(compiled);
        idle.add(compiled);
    }

    /** A context for the calling task; there is one per concurrent task, so this does not wait in practice. */
    public PythonStatement borrow() throws InterruptedException {
        return idle.take();
    }

    /** Gives a context back; one that can no longer run is replaced by a fresh one. */
    public void release(PythonStatement compiled) throws StatementException {
        if (compiled.isUsable()) {
            idle.add(compiled);
            return;
        }
        all.remove(compiled);
        compiled.close();
        add(PythonStatement.compile(statement, settings));
    }

    /** Interrupts every run in progress (the processor is being unscheduled). */
    public void interruptAll() {
        for (PythonStatement compiled : all) {
            compiled.interrupt();
        }
    }

    @Override
    public void close() {
        List<PythonStatement> toClose = new ArrayList<>(all);
        all.clear();
        idle.clear();
        for (PythonStatement compiled : toClose) {
            compiled.close();
        }
    }
}
