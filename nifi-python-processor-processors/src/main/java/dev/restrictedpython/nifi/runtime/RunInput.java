package dev.restrictedpython.nifi.runtime;

import java.util.Map;

/**
 * What a run sees besides its records: {@code DATA_CHECKPOINT} (a plain Java value or null), {@code ATTRIBUTES}
 * and {@code PROPERTIES}.
 */
public record RunInput(Object checkpoint, Map<String, String> attributes, Map<String, String> properties) {
}
