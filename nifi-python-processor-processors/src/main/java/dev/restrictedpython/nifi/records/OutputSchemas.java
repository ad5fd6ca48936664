package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.RecordSchema;

import java.util.Map;

/**
 * Infers the schema of the records a Python statement produced, from all of its output items.
 * See {@link OutputSchemaBuilder} for the type rules and for inference over a stream.
 */
public final class OutputSchemas {

    private OutputSchemas() {
    }

    /** The schema describing every item, fields in order of first appearance, all nullable. */
    public static RecordSchema infer(final Iterable<? extends Map<String, ?>> items) {
        final OutputSchemaBuilder builder = new OutputSchemaBuilder();
        for (final Map<String, ?> item : items) {
            builder.add(item);
        }
        return builder.build();
    }
}
