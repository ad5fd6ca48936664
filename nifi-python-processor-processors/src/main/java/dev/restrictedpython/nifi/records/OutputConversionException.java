package dev.restrictedpython.nifi.records;

/**
 * Thrown when a plain value produced by the Python statement cannot be stored in a field of the
 * output record schema. The message names the item, the field and the value in Python terms, e.g.
 * {@code item 3, field 'price': cannot convert str 'abc' to DECIMAL}.
 */
public class OutputConversionException extends RuntimeException {

    private final int itemIndex;
    private final String fieldPath;

    OutputConversionException(final int itemIndex, final String fieldPath, final String message, final Throwable cause) {
        super(message, cause);
        this.itemIndex = itemIndex;
        this.fieldPath = fieldPath;
    }

    /** The item index the caller passed to {@link RecordValues#toRecord}. */
    public int getItemIndex() {
        return itemIndex;
    }

    /** The field path inside the item, e.g. {@code price}, {@code address.zip} or {@code tags[2]}. */
    public String getFieldPath() {
        return fieldPath;
    }
}
