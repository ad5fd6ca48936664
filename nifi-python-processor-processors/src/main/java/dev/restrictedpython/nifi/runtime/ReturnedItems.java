package dev.restrictedpython.nifi.runtime;

import java.util.List;
import java.util.Map;

/**
 * The items one bulk run returned, still in the run's wire form. They can be read more than once (once to infer
 * the output schema, once to write it), and a reading decodes one item at a time, so that no reading holds every
 * item as a map as well: a bulk run's output is in memory anyway, and reading it twice costs less than writing it
 * to a temporary FlowFile and back (measured: that round trip was a tenth of a bulk run's main-thread time).
 */
public final class ReturnedItems {

    private final List<Object> flat;
    private final int count;
    private boolean drained;

    ReturnedItems(List<Object> flat, int count) {
        this.flat = flat;
        this.count = count;
    }

    /** How many items the statement returned. */
    public int count() {
        return count;
    }

    /** Hands each item to {@code items}, in order, as a new map. */
    public <E extends Exception> void forEach(PythonStatement.ItemConsumer<E> items) throws E {
        checkNotDrained();
        WireFormat.decodeItems(flat, items, false);
    }

    /**
     * The same, for the last reading: what was read is let go as the reading goes on, so that the items written
     * are not all held until the last is; afterwards the items cannot be read again.
     */
    public <E extends Exception> void drain(PythonStatement.ItemConsumer<E> items) throws E {
        checkNotDrained();
        drained = true;
        WireFormat.decodeItems(flat, items, true);
    }

    /**
     * As {@link #drain}, each item handed over as its keys and values in arrays that are reused for the next item
     * (see {@link FieldArrayConsumer}), without building the items' maps.
     */
    public <E extends Exception> void drainFieldArrays(FieldArrayConsumer<E> items) throws E {
        checkNotDrained();
        drained = true;
        WireFormat.decodeFieldArrays(flat, items, true);
    }

    /** The item held in the first {@code fields} keys and values, as a new map in their order. */
    public static Map<String, Object> itemOf(String[] keys, Object[] values, int fields) {
        return WireFormat.itemOf(keys, values, fields);
    }

    /** Hands each field of each item to {@code fields}, in order, without building the items' maps. */
    public <E extends Exception> void forEachField(FieldConsumer<E> fields) throws E {
        checkNotDrained();
        WireFormat.decodeFields(flat, fields);
    }

    private void checkNotDrained() {
        if (drained) {
            throw new IllegalStateException("the returned items were drained: they cannot be read again");
        }
    }

    /**
     * Receives one returned item: its keys and (plain) values are the first {@code fields} elements of the two
     * arrays, which belong to the reading and are overwritten by the next item.
     */
    @FunctionalInterface
    public interface FieldArrayConsumer<E extends Exception> {
        void accept(String[] keys, Object[] values, int fields) throws E;
    }

    /** Receives one field of a returned item: its key and its value (plain values, as in the items' maps). */
    @FunctionalInterface
    public interface FieldConsumer<E extends Exception> {
        void accept(String key, Object value) throws E;
    }
}
