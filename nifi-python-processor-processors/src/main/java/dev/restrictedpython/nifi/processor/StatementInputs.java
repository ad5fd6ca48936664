package dev.restrictedpython.nifi.processor;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.processor.ProcessContext;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the processor's configuration hands to each run besides the records: PROPERTIES (user-defined properties,
 * Expression Language evaluated per FlowFile, with a masker for the sensitive ones) and DATA_CHECKPOINT.
 */
final class StatementInputs {

    /** PROPERTIES for one run and the masker that hides its sensitive values. */
    record Evaluated(Map<String, String> properties, SecretMasker masker) {
    }

    private final ProcessContext context;
    private final List<PropertyDescriptor> dynamicProperties;
    private final String checkpointColumn;
    private final Object initialCheckpoint;

    StatementInputs(ProcessContext context) {
        this.context = context;
        this.dynamicProperties = context.getProperties().keySet().stream()
                .filter(PropertyDescriptor::isDynamic)
                .toList();
        this.checkpointColumn = context.getProperty(ExecuteRestrictedPython.DATA_CHECKPOINT_COLUMN).getValue();
        String initial = checkpointColumn == null ? null
                : context.getProperty(ExecuteRestrictedPython.INITIAL_DATA_CHECKPOINT).getValue();
        this.initialCheckpoint = initial == null ? null : CheckpointState.parseInitial(initial);
    }

    Evaluated evaluate(Map<String, String> attributes) {
        Map<String, String> properties = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        for (PropertyDescriptor descriptor : dynamicProperties) {
            String value = context.getProperty(descriptor).evaluateAttributeExpressions(attributes).getValue();
            properties.put(descriptor.getName(), value);
            if (descriptor.isSensitive()) {
                secrets.add(value);
            }
        }
        return new Evaluated(properties, secrets.isEmpty() ? SecretMasker.NONE : new SecretMasker(secrets));
    }

    /** The column whose last value becomes the checkpoint, or null when checkpoints are off. */
    String checkpointColumn() {
        return checkpointColumn;
    }

    /** DATA_CHECKPOINT for a run: the stored one, else the initial one, else None. */
    Object checkpoint(Map<String, String> state) {
        return checkpointColumn == null ? null : CheckpointState.read(state).orElse(initialCheckpoint);
    }
}
