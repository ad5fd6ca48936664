package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.runtime.StatementLog;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;

/**
 * Sends a statement's {@code log.*} calls and printed lines to the processor's log at the same level (warn and
 * error also become bulletins), with the statement line and with secrets masked.
 */
final class StatementLogger implements StatementLog {

    private final ComponentLog logger;
    private final SecretMasker masker;
    private final FlowFile flowFile;

    StatementLogger(ComponentLog logger, SecretMasker masker, FlowFile flowFile) {
        this.logger = logger;
        this.masker = masker;
        this.flowFile = flowFile;
    }

    @Override
    public void log(Level level, String message, Integer line) {
        String text = (line == null ? "" : "line " + line + ": ") + masker.mask(message);
        Object source = flowFile == null ? "source run" : flowFile;
        switch (level) {
            case TRACE -> logger.trace("Statement ({}): {}", source, text);
            case DEBUG -> logger.debug("Statement ({}): {}", source, text);
            case INFO -> logger.info("Statement ({}): {}", source, text);
            case WARN -> logger.warn("Statement ({}): {}", source, text);
            case ERROR -> logger.error("Statement ({}): {}", source, text);
        }
    }
}
