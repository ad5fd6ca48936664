package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordSchema;

import java.util.Map;

/**
 * Converts between NiFi records and plain Java values, the vocabulary the Python runtime maps to and
 * from Python objects: {@code null, String, Boolean, Long, BigInteger} (only beyond long range),
 * {@code Double, BigDecimal, LocalDate, LocalTime, Instant} (UTC), {@code byte[], List<Object>} and
 * {@code Map<String, Object>} (a LinkedHashMap keeping insertion order).
 */
public final class RecordValues {

    private RecordValues() {
    }

    /** Every schema field of the record, nulls included, in schema order. */
    public static Map<String, Object> toPlain(final Record record) {
        return PlainValueReader.recordToPlain(record);
    }

    /**
     * One NiFi value as a plain value. The type guides the conversion (e.g. a string in a DATE field is
     * parsed with the field's format, an ARRAY of BYTE becomes byte[]); when the Java object stored does
     * not match it, the object's own type decides. May be null when unknown.
     */
    public static Object plainValue(final Object value, final DataType type) {
        return PlainValueReader.plainValue(value, type);
    }

    /** The Python type name of a plain value ({@code str}, {@code int}, {@code datetime}, ...), for messages. */
    public static String pythonTypeName(final Object value) {
        return PythonNames.typeName(value);
    }

    /**
     * A record of {@code schema} holding the item's values, each coerced to its field's type. Fields the
     * item lacks are null; keys the schema lacks are ignored.
     *
     * @param itemIndex the item's position, only used in error messages
     * @throws OutputConversionException when a value cannot be stored in its field
     */
    public static Record toRecord(final Map<String, ?> item, final RecordSchema schema, final int itemIndex) {
        return PlainValueWriter.toRecord(item, schema, itemIndex);
    }

    /**
     * The same for an item given as its first {@code fields} keys and values: when they are the schema's fields
     * in the schema's order (an item of the items the schema was inferred from, mostly), no map of the item is
     * built nor looked up.
     */
    public static Record toRecord(final String[] keys, final Object[] values, final int fields,
                                  final RecordSchema schema, final int itemIndex) {
        return PlainValueWriter.toRecord(keys, values, fields, schema, itemIndex);
    }
}
