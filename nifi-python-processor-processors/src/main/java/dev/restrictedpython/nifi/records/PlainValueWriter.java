package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.EnumDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;
import org.apache.nifi.serialization.record.util.DataTypeUtils;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Writes plain values into NiFi records for a given writer schema.
 *
 * <p>The Java types stored are the ones NiFi's own {@link DataTypeUtils#convertType} produces
 * (java.sql.Date, java.sql.Time, java.sql.Timestamp, BigDecimal, BigInteger, Object[], ...), because
 * those are what every record writer formats: the CSV writer in particular applies the configured
 * date/time formats only to java.util.Date subclasses.</p>
 *
 * <p>It is stricter than NiFi where NiFi would silently lose data: integers must fit the target
 * (NiFi wraps 300 into a BYTE as 44) and floats or decimals with a fraction are not truncated into
 * integer fields.</p>
 */
final class PlainValueWriter {

    /** Most digits a Decimal with an exponent is expanded to; beyond that it is refused or left as it is. */
    private static final int MAX_EXPANDED_DIGITS = 4096;

    private PlainValueWriter() {
    }

    static Record toRecord(final Map<String, ?> item, final RecordSchema schema, final int itemIndex) {
        return buildRecord(item, schema, new Location(itemIndex, ""));
    }

    static Record toRecord(final String[] keys, final Object[] values, final int fields, final RecordSchema schema,
                           final int itemIndex) {
        final List<RecordField> schemaFields = schema.getFields();
        if (!inSchemaOrder(keys, fields, schemaFields)) {
            final Map<String, Object> item = new LinkedHashMap<>();
            for (int i = 0; i < fields; i++) {
                item.put(keys[i], values[i]);
            }
            return toRecord(item, schema, itemIndex);
        }
        final Location location = new Location(itemIndex, "");
        final Map<String, Object> converted = new LinkedHashMap<>((int) (fields / 0.75f + 1));
        for (int i = 0; i < fields; i++) {
            converted.put(keys[i], coerce(values[i], schemaFields.get(i).getDataType(), location.field(keys[i])));
        }
        return new MapRecord(schema, converted);
    }

    private static boolean inSchemaOrder(final String[] keys, final int fields, final List<RecordField> schemaFields) {
        if (fields != schemaFields.size()) {
            return false;
        }
        for (int i = 0; i < fields; i++) {
            if (!keys[i].equals(schemaFields.get(i).getFieldName())) {
                return false;
            }
        }
        return true;
    }

    private static Record buildRecord(final Map<?, ?> item, final RecordSchema schema, final Location location) {
        final Map<String, Object> values = new LinkedHashMap<>();
        for (final RecordField field : schema.getFields()) {
            final String name = field.getFieldName();
            values.put(name, coerce(lookUp(item, field), field.getDataType(), location.field(name)));
        }
        return new MapRecord(schema, values);
    }

    private static Object lookUp(final Map<?, ?> item, final RecordField field) {
        if (item.containsKey(field.getFieldName())) {
            return item.get(field.getFieldName());
        }
        for (final String alias : field.getAliases()) {
            if (item.containsKey(alias)) {
                return item.get(alias);
            }
        }
        return null;
    }

    static Object coerce(final Object value, final DataType type, final Location location) {
        if (value == null) {
            return null;
        }
        final RecordFieldType fieldType = type.getFieldType();
        // The common cases, already in the type NiFi would convert them to
        if (fieldType == RecordFieldType.STRING && value instanceof String
                || fieldType == RecordFieldType.LONG && value instanceof Long
                || fieldType == RecordFieldType.DOUBLE && value instanceof Double d && Double.isFinite(d)
                || fieldType == RecordFieldType.BOOLEAN && value instanceof Boolean) {
            return value;
        }
        try {
            return switch (fieldType) {
                case RECORD -> toNestedRecord(value, ((RecordDataType) type).getChildSchema(), location);
                case ARRAY -> toArray(value, ((ArrayDataType) type).getElementType(), location);
                case MAP -> toMap(value, ((MapDataType) type).getValueType(), location);
                case CHOICE -> coerce(value, chooseSubType(value, (ChoiceDataType) type), location);
                default -> toScalar(value, type);
            };
        } catch (final OutputConversionException e) {
            throw e;
        } catch (final Rejected e) {
            throw failure(value, type, location, e.getMessage(), null);
        } catch (final RuntimeException e) {
            throw failure(value, type, location, null, e);
        }
    }

    private static Object toScalar(final Object value, final DataType type) {
        if (value instanceof List<?> || value instanceof Map<?, ?> || value instanceof Record
                || (value instanceof byte[] && type.getFieldType() != RecordFieldType.UUID)) {
            throw new Rejected(null);
        }
        return switch (type.getFieldType()) {
            case BYTE, SHORT, INT, LONG, BIGINT -> toInteger(value, type);
            case FLOAT, DOUBLE -> toFloating(value, type);
            case DECIMAL -> toDecimal(value);
            case DATE -> nifiConvert(toDateSource(value), type);
            case TIME -> nifiConvert(toTimeSource(value), type);
            case TIMESTAMP -> toTimestamp(value, type);
            case CHAR -> toCharacter(value, type);
            case ENUM -> toEnum(value, (EnumDataType) type);
            case BOOLEAN -> requireNotNumber(value, type);
            default -> nifiConvert(value, type);
        };
    }

    private static Object toNestedRecord(final Object value, final RecordSchema childSchema, final Location location) {
        return switch (value) {
            case Map<?, ?> map -> buildRecord(map, childSchema, location);
            case Record record -> record;
            default -> throw new Rejected(null);
        };
    }

    private static Object[] toArray(final Object value, final DataType elementType, final Location location) {
        if (value instanceof byte[] bytes && elementType.getFieldType() == RecordFieldType.BYTE) {
            // NiFi stores a byte array as Byte[]; this is what convertType makes of byte[]
            return DataTypeUtils.toArray(bytes, location.path(), elementType);
        }
        final List<?> elements = switch (value) {
            case byte[] bytes -> longs(bytes);
            case List<?> list -> list;
            default -> throw new Rejected(null);
        };
        final Object[] array = new Object[elements.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = coerce(elements.get(i), elementType, location.element(i));
        }
        return array;
    }

    private static Map<String, Object> toMap(final Object value, final DataType valueType, final Location location) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new Rejected(null);
        }
        final Map<String, Object> converted = new LinkedHashMap<>();
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            final String key = String.valueOf(entry.getKey());
            converted.put(key, coerce(entry.getValue(), valueType, location.key(key)));
        }
        return converted;
    }

    private static DataType chooseSubType(final Object value, final ChoiceDataType choice) {
        final List<DataType> subTypes = flatten(choice);
        final Optional<DataType> sameKind = sameKind(value, subTypes);
        if (sameKind.isPresent()) {
            return sameKind.get();
        }
        // No sub-type of the value's own kind: let NiFi pick (e.g. int into DOUBLE), seeing the Java types it knows.
        final DataType chosen = DataTypeUtils.chooseDataType(nifiNative(value), choice);
        if (chosen == null) {
            throw new Rejected("no matching type in the CHOICE");
        }
        return chosen;
    }

    /** The first sub-type of the kind inference would give the value; for dicts the first record holding all its keys. */
    private static Optional<DataType> sameKind(final Object value, final List<DataType> subTypes) {
        final RecordFieldType kind = OutputSchemaBuilder.kindOf(value);
        if (value instanceof Map<?, ?> map) {
            final Optional<DataType> holdingAllKeys = subTypes.stream()
                    .filter(t -> t instanceof RecordDataType r && r.getChildSchema() != null
                            && map.keySet().stream().allMatch(k -> r.getChildSchema().getField(String.valueOf(k)).isPresent()))
                    .findFirst();
            if (holdingAllKeys.isPresent()) {
                return holdingAllKeys;
            }
        }
        return subTypes.stream().filter(t -> t.getFieldType() == kind).findFirst();
    }

    private static List<DataType> flatten(final ChoiceDataType choice) {
        final List<DataType> flat = new ArrayList<>();
        for (final DataType subType : choice.getPossibleSubTypes()) {
            if (subType instanceof ChoiceDataType nested) {
                flat.addAll(flatten(nested));
            } else {
                flat.add(subType);
            }
        }
        return flat;
    }

    /** Plain values as NiFi's compatibility checks expect them (they know java.sql.* and Object[], not java.time). */
    private static Object nifiNative(final Object value) {
        return switch (value) {
            case LocalDate d -> java.sql.Date.valueOf(d);
            case LocalTime t -> DataTypeUtils.convertType(t, RecordFieldType.TIME.getDataType(), "value");
            case Instant i -> Timestamp.from(i);
            case byte[] bytes -> DataTypeUtils.toArray(bytes, "value", RecordFieldType.BYTE.getDataType());
            case List<?> list -> list.stream().map(PlainValueWriter::nifiNative).toArray();
            default -> value;
        };
    }

    private static Object toInteger(final Object value, final DataType type) {
        final BigInteger exact = exactInteger(value);
        if (type.getFieldType() == RecordFieldType.BIGINT) {
            return nifiConvert(exact, type);
        }
        if (exact.compareTo(BigInteger.valueOf(minimum(type))) < 0 || exact.compareTo(BigInteger.valueOf(maximum(type))) > 0) {
            throw new Rejected("out of range");
        }
        return nifiConvert(exact.longValueExact(), type);
    }

    private static BigInteger exactInteger(final Object value) {
        try {
            return switch (value) {
                case BigInteger big -> big;
                case Long l -> BigInteger.valueOf(l);
                case Integer i -> BigInteger.valueOf(i);
                case Short s -> BigInteger.valueOf(s);
                case Byte b -> BigInteger.valueOf(b);
                case Double d when Double.isFinite(d) -> BigDecimal.valueOf(d).toBigIntegerExact();
                case Float f when Float.isFinite(f) -> new BigDecimal(Float.toString(f)).toBigIntegerExact();
                case BigDecimal d when (long) d.precision() - d.scale() > MAX_EXPANDED_DIGITS -> throw new Rejected("out of range");
                case BigDecimal d -> d.toBigIntegerExact();
                case String s -> new BigInteger(s.trim());
                default -> throw new Rejected(null);
            };
        } catch (final ArithmeticException e) {
            throw new Rejected("not an integer");
        }
    }

    private static long minimum(final DataType type) {
        return switch (type.getFieldType()) {
            case BYTE -> Byte.MIN_VALUE;
            case SHORT -> Short.MIN_VALUE;
            case INT -> Integer.MIN_VALUE;
            default -> Long.MIN_VALUE;
        };
    }

    private static long maximum(final DataType type) {
        return switch (type.getFieldType()) {
            case BYTE -> Byte.MAX_VALUE;
            case SHORT -> Short.MAX_VALUE;
            case INT -> Integer.MAX_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    private static Object toFloating(final Object value, final DataType type) {
        requireNotBoolean(value);
        final Object converted = nifiConvert(value, type);
        final boolean sourceFinite = !(value instanceof Double d && !Double.isFinite(d)) && !(value instanceof String);
        if (sourceFinite && converted instanceof Number n && Double.isInfinite(n.doubleValue())) {
            throw new Rejected("out of range");
        }
        return converted;
    }

    private static BigDecimal toDecimal(final Object value) {
        requireNotBoolean(value);
        if (value instanceof Double d && !Double.isFinite(d)) {
            throw new Rejected(null);
        }
        final BigDecimal decimal = DataTypeUtils.toBigDecimal(value, "value");
        if (decimal == null) {
            throw new Rejected(null);
        }
        // Decimal('1E+3') has a negative scale; its toString() is "1E+3", which the CSV writer would print as is.
        // Huge exponents stay as they are: expanding Decimal('1E+999999999') would exhaust memory.
        return decimal.scale() < 0 && -(long) decimal.scale() <= MAX_EXPANDED_DIGITS ? decimal.setScale(0) : decimal;
    }

    private static Object toDateSource(final Object value) {
        return switch (value) {
            case Instant i -> LocalDate.ofInstant(i, ZoneOffset.UTC);
            case String s -> parseIsoOrKeep(s, () -> LocalDate.parse(s.trim()));
            case LocalTime ignored -> throw new Rejected(null);
            case Boolean ignored -> throw new Rejected(null);
            default -> value;
        };
    }

    private static Object toTimeSource(final Object value) {
        return switch (value) {
            case Instant i -> LocalTime.ofInstant(i, ZoneOffset.UTC);
            case String s -> parseIsoOrKeep(s, () -> LocalTime.parse(s.trim()));
            case LocalDate ignored -> throw new Rejected(null);
            case Boolean ignored -> throw new Rejected(null);
            default -> value;
        };
    }

    private static Object toTimestamp(final Object value, final DataType type) {
        final Instant instant = switch (value) {
            case Instant i -> i;
            case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
            case String s -> parseIsoInstant(s.trim());
            case LocalTime ignored -> throw new Rejected(null);
            case Boolean ignored -> throw new Rejected(null);
            default -> null;
        };
        // Timestamp.from keeps the instant and its nanoseconds; convertType would round-trip through local time.
        return instant != null ? Timestamp.from(instant) : nifiConvert(value, type);
    }

    /** ISO text as Python's isoformat()/str() write it ('T' or ' ' separator); without an offset it is UTC. Null if not ISO. */
    private static Instant parseIsoInstant(final String text) {
        final String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (final DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
            } catch (final DateTimeParseException notIso) {
                return null;
            }
        }
    }

    private static Object parseIsoOrKeep(final String text, final Supplier<Object> isoParser) {
        try {
            return isoParser.get();
        } catch (final DateTimeParseException e) {
            // NiFi's converter tries the field's format next
            return text;
        }
    }

    private static Object toCharacter(final Object value, final DataType type) {
        if (!(value instanceof String s) || s.length() != 1) {
            throw new Rejected(value instanceof String ? "not a single character" : null);
        }
        return nifiConvert(s, type);
    }

    private static Object toEnum(final Object value, final EnumDataType type) {
        if (!(value instanceof String)) {
            throw new Rejected(null);
        }
        if (type.getEnums() == null || !type.getEnums().contains(value)) {
            throw new Rejected("not one of " + type.getEnums());
        }
        return nifiConvert(value, type);
    }

    private static Object requireNotNumber(final Object value, final DataType type) {
        if (value instanceof Number) {
            throw new Rejected(null);
        }
        return nifiConvert(value, type);
    }

    // Python's bool is an int, but NiFi would refuse it anyway; say so in our terms.
    private static void requireNotBoolean(final Object value) {
        if (value instanceof Boolean) {
            throw new Rejected(null);
        }
    }

    private static Object nifiConvert(final Object value, final DataType type) {
        final Optional<String> format = Optional.ofNullable(type.getFormat());
        final Object converted = DataTypeUtils.convertType(value, type, format, format, format, "value");
        if (converted == null) {
            // NiFi maps blank strings to null; an explicit value that vanishes is a conversion failure
            throw new Rejected(null);
        }
        return converted;
    }

    private static List<Long> longs(final byte[] bytes) {
        final List<Long> list = new ArrayList<>(bytes.length);
        for (final byte b : bytes) {
            list.add((long) b);
        }
        return list;
    }

    private static OutputConversionException failure(final Object value, final DataType type, final Location location,
                                                     final String reason, final Throwable cause) {
        final String message = "item %d, field '%s': cannot convert %s %s to %s%s".formatted(
                location.itemIndex(), location.path(), PythonNames.typeName(value), PythonNames.shortRepr(value),
                type.getFieldType(), reason == null ? "" : " (" + reason + ")");
        return new OutputConversionException(location.itemIndex(), location.path(), message, cause);
    }

    /** Where a value sits inside the item, for error messages: {@code a.b}, {@code a[2]}, {@code a['k']}. */
    record Location(int itemIndex, String path) {
        Location field(final String name) {
            return new Location(itemIndex, path.isEmpty() ? name : path + "." + name);
        }

        Location element(final int index) {
            return new Location(itemIndex, path + "[" + index + "]");
        }

        Location key(final String key) {
            return new Location(itemIndex, path + "['" + key + "']");
        }
    }

    /** A refusal of our own; turned into an {@link OutputConversionException} with the optional reason. */
    private static final class Rejected extends RuntimeException {
        Rejected(final String reason) {
            super(reason, null, false, false);
        }
    }
}
