package dev.restrictedpython.nifi.runtime;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The context's stdout or stderr: each printed line becomes a log line of the run that printed it. */
final class StatementLogStream extends OutputStream {

    private static final int MAX_LINE = 8192;

    private final StatementLog.Level level;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private volatile StatementLog target = (l, m, n) -> { };

    StatementLogStream(StatementLog.Level level) {
        this.level = level;
    }

    void bind(StatementLog target) {
        this.target = target;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n' || pending.size() >= MAX_LINE) {
            flushLine();
            if (b == '\n') {
                return;
            }
        }
        pending.write(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        if (pending.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        target.log(level, line, null);
    }
}
