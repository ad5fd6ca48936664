package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.serialization.record.field.StandardFieldConverterRegistry;
import org.apache.nifi.serialization.record.type.ArrayDataType;
import org.apache.nifi.serialization.record.type.ChoiceDataType;
import org.apache.nifi.serialization.record.type.MapDataType;
import org.apache.nifi.serialization.record.type.RecordDataType;
import org.apache.nifi.serialization.record.util.DataTypeUtils;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads NiFi record values into the plain value vocabulary. The declared {@link DataType} guides the
 * conversion, but the Java object actually stored wins when the two disagree, because readers store
 * a variety of types (java.sql.*, java.time.*, strings left unparsed, ...).
 */
final class PlainValueReader {

    private static final Set<RecordFieldType> CONTAINER_TYPES = EnumSet.of(RecordFieldType.RECORD, RecordFieldType.ARRAY, RecordFieldType.MAP);

    private PlainValueReader() {
    }

    static Map<String, Object> recordToPlain(final Record record) {
        final RecordSchema schema = record.getSchema();
        final Map<String, Object> plain = new LinkedHashMap<>();
        for (final RecordField field : schema.getFields()) {
            plain.put(field.getFieldName(), plainValue(record.getValue(field), field.getDataType()));
        }
        return plain;
    }

    static Object plainValue(final Object value, final DataType type) {
        if (value == null) {
            return null;
        }
        if (type == null) {
            return plainOf(value);
        }
        return switch (type.getFieldType()) {
            case STRING, CHAR, ENUM, UUID -> toText(value);
            case BOOLEAN -> toBoolean(value);
            case BYTE, SHORT, INT, LONG, BIGINT -> toInteger(value);
            case FLOAT, DOUBLE -> toFloating(value);
            case DECIMAL -> toDecimal(value);
            case DATE -> toDate(value, type);
            case TIME -> toTime(value, type);
            case TIMESTAMP -> toInstant(value, type);
            case RECORD -> toRecordMap(value, ((RecordDataType) type).getChildSchema());
            case ARRAY -> toList(value, ((ArrayDataType) type).getElementType());
            case MAP -> toMap(value, ((MapDataType) type).getValueType());
            case CHOICE -> fromChoice(value, (ChoiceDataType) type);
            default -> plainOf(value);
        };
    }

    /** Converts by the Java type alone; used where no declared type helps. */
    static Object plainOf(final Object value) {
        return switch (value) {
            case null -> null;
            case String s -> s;
            case Boolean b -> b;
            case Character c -> c.toString();
            case BigInteger big -> integer(big);
            case Long l -> l;
            case Integer i -> i.longValue();
            case Short s -> s.longValue();
            case Byte b -> b.longValue();
            case Float f -> floatToDouble(f);
            case Double d -> d;
            case BigDecimal d -> d;
            case LocalDate d -> d;
            case LocalTime t -> t;
            case Instant i -> i;
            case java.sql.Date d -> d.toLocalDate();
            case Time t -> timeToLocalTime(t);
            case Timestamp t -> t.toInstant();
            // java.sql.Date/Time throw on toInstant(), so every java.util.Date goes through its epoch millis
            case java.util.Date d -> Instant.ofEpochMilli(d.getTime());
            case LocalDateTime t -> t.toInstant(ZoneOffset.UTC);
            case OffsetDateTime t -> t.toInstant();
            case ZonedDateTime t -> t.toInstant();
            case OffsetTime t -> t.toLocalTime();
            case byte[] bytes -> bytes;
            case Byte[] bytes -> unbox(bytes);
            case Record record -> recordToPlain(record);
            case Map<?, ?> map -> toMap(map, null);
            case Object[] array -> toList(array, null);
            case Collection<?> collection -> toList(collection, null);
            default -> value.toString();
        };
    }

    private static Object fromChoice(final Object value, final ChoiceDataType choice) {
        // Scalars keep their own type; for containers the chosen sub-type tells the element types (e.g. bytes).
        final DataType chosen = DataTypeUtils.chooseDataType(value, choice);
        if (chosen != null && CONTAINER_TYPES.contains(chosen.getFieldType())) {
            return plainValue(value, chosen);
        }
        return plainOf(value);
    }

    private static Object toText(final Object value) {
        return switch (value) {
            case String s -> s;
            case Record ignored -> plainOf(value);
            case Map<?, ?> ignored -> plainOf(value);
            case Collection<?> ignored -> plainOf(value);
            case Object[] ignored -> plainOf(value);
            case byte[] ignored -> plainOf(value);
            default -> value.toString();
        };
    }

    private static Object toBoolean(final Object value) {
        if (value instanceof String s && DataTypeUtils.isBooleanTypeCompatible(s)) {
            return Boolean.valueOf(s);
        }
        return plainOf(value);
    }

    private static Object toInteger(final Object value) {
        if (value instanceof String s) {
            try {
                return integer(new BigInteger(s.trim()));
            } catch (final NumberFormatException e) {
                return s;
            }
        }
        return plainOf(value);
    }

    private static Object toFloating(final Object value) {
        return switch (value) {
            case Float f -> floatToDouble(f);
            case Number n -> n.doubleValue();
            case String s -> parseOrKeep(s, () -> Double.parseDouble(s.trim()));
            default -> plainOf(value);
        };
    }

    private static Object toDecimal(final Object value) {
        return switch (value) {
            case BigDecimal d -> d;
            case BigInteger i -> new BigDecimal(i);
            case Long l -> BigDecimal.valueOf(l);
            case Integer i -> BigDecimal.valueOf(i);
            case Short s -> BigDecimal.valueOf(s);
            case Byte b -> BigDecimal.valueOf(b);
            // Through the shortest decimal text, so a DECIMAL field holding 0.1d reads as 0.1
            case Double d when Double.isFinite(d) -> new BigDecimal(Double.toString(d));
            case Float f when Float.isFinite(f) -> new BigDecimal(Float.toString(f));
            case String s -> parseOrKeep(s, () -> new BigDecimal(s.trim()));
            default -> plainOf(value);
        };
    }

    private static Object toDate(final Object value, final DataType type) {
        return switch (value) {
            case LocalDate d -> d;
            case java.sql.Date d -> d.toLocalDate();
            case Timestamp t -> t.toLocalDateTime().toLocalDate();
            case java.util.Date d -> LocalDate.ofInstant(Instant.ofEpochMilli(d.getTime()), ZoneId.systemDefault());
            case LocalDateTime t -> t.toLocalDate();
            case OffsetDateTime t -> t.toLocalDate();
            case ZonedDateTime t -> t.toLocalDate();
            case Instant i -> LocalDate.ofInstant(i, ZoneOffset.UTC);
            case String s -> parseOrKeep(s, () -> nifiConvert(s, LocalDate.class, type));
            case Number n -> nifiConvert(n, LocalDate.class, type);
            default -> plainOf(value);
        };
    }

    private static Object toTime(final Object value, final DataType type) {
        return switch (value) {
            case LocalTime t -> t;
            case Time t -> timeToLocalTime(t);
            case Timestamp t -> t.toLocalDateTime().toLocalTime();
            case java.util.Date d -> LocalTime.ofInstant(Instant.ofEpochMilli(d.getTime()), ZoneId.systemDefault());
            case LocalDateTime t -> t.toLocalTime();
            case OffsetTime t -> t.toLocalTime();
            case OffsetDateTime t -> t.toLocalTime();
            case ZonedDateTime t -> t.toLocalTime();
            case Instant i -> LocalTime.ofInstant(i, ZoneOffset.UTC);
            // The LocalTime converter, not java.sql.Time, so a pattern with fractions keeps them
            case String s -> parseOrKeep(s, () -> nifiConvert(s, LocalTime.class, type));
            case Number n -> nifiConvert(n, LocalTime.class, type);
            default -> plainOf(value);
        };
    }

    private static Object toInstant(final Object value, final DataType type) {
        return switch (value) {
            case LocalDate d -> d.atStartOfDay(ZoneOffset.UTC).toInstant();
            case String s -> parseOrKeep(s, () -> nifiConvert(s, Timestamp.class, type).toInstant());
            case Number n -> nifiConvert(n, Timestamp.class, type).toInstant();
            default -> plainOf(value);
        };
    }

    private static Object toRecordMap(final Object value, final RecordSchema childSchema) {
        if (value instanceof Map<?, ?> map && childSchema != null) {
            final Map<String, Object> plain = new LinkedHashMap<>();
            map.forEach((key, element) -> plain.put(String.valueOf(key), plainValue(element, childSchema.getDataType(String.valueOf(key)).orElse(null))));
            return plain;
        }
        return plainOf(value);
    }

    private static Object toList(final Object value, final DataType elementType) {
        if (elementType != null && elementType.getFieldType() == RecordFieldType.BYTE) {
            final byte[] bytes = toBytes(value);
            if (bytes != null) {
                return bytes;
            }
        }
        return switch (value) {
            case Object[] array -> convertElements(Arrays.asList(array), elementType);
            case Collection<?> collection -> convertElements(collection, elementType);
            case byte[] bytes -> convertElements(boxedList(bytes), elementType);
            default -> plainOf(value);
        };
    }

    private static List<Object> convertElements(final Collection<?> elements, final DataType elementType) {
        final List<Object> plain = new ArrayList<>(elements.size());
        for (final Object element : elements) {
            plain.add(plainValue(element, elementType));
        }
        return plain;
    }

    private static Object toMap(final Object value, final DataType valueType) {
        return switch (value) {
            case Map<?, ?> map -> {
                final Map<String, Object> plain = new LinkedHashMap<>();
                map.forEach((key, element) -> plain.put(String.valueOf(key), plainValue(element, valueType)));
                yield plain;
            }
            case Record record -> recordToPlain(record);
            default -> plainOf(value);
        };
    }

    /** The bytes of a byte-array value, or null when some element is not a number. */
    private static byte[] toBytes(final Object value) {
        return switch (value) {
            case byte[] bytes -> bytes;
            case Byte[] bytes -> unbox(bytes);
            case Object[] array -> numbersToBytes(Arrays.asList(array));
            case List<?> list -> numbersToBytes(list);
            default -> null;
        };
    }

    private static byte[] numbersToBytes(final List<?> elements) {
        final byte[] bytes = new byte[elements.size()];
        for (int i = 0; i < bytes.length; i++) {
            if (!(elements.get(i) instanceof Number number)) {
                return null;
            }
            bytes[i] = number.byteValue();
        }
        return bytes;
    }

    private static byte[] unbox(final Byte[] boxed) {
        final byte[] bytes = new byte[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            bytes[i] = boxed[i] == null ? 0 : boxed[i];
        }
        return bytes;
    }

    private static List<Long> boxedList(final byte[] bytes) {
        final List<Long> list = new ArrayList<>(bytes.length);
        for (final byte b : bytes) {
            list.add((long) b);
        }
        return list;
    }

    /** Long when it fits, BigInteger otherwise: Python has one int type, the runtime needs the narrowest. */
    static Object integer(final BigInteger value) {
        return value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
    }

    // Through the shortest decimal text: a FLOAT 0.1f reads as 0.1, not 0.10000000149011612.
    private static Double floatToDouble(final Float value) {
        return Float.isFinite(value) ? Double.parseDouble(Float.toString(value)) : value.doubleValue();
    }

    // java.sql.Time.toLocalTime() drops milliseconds; NiFi itself reads Time through its epoch millis.
    private static LocalTime timeToLocalTime(final Time time) {
        return LocalTime.ofInstant(Instant.ofEpochMilli(time.getTime()), ZoneId.systemDefault());
    }

    /** Uses NiFi's own field converters with the field's format (NiFi's default format unless the schema says otherwise). */
    private static <T> T nifiConvert(final Object value, final Class<T> target, final DataType type) {
        final Optional<String> format = Optional.ofNullable(type.getFormat());
        return StandardFieldConverterRegistry.getRegistry().getFieldConverter(target).convertField(value, format, "value");
    }

    private static Object parseOrKeep(final String text, final Supplier<Object> parser) {
        try {
            final Object parsed = parser.get();
            return parsed == null ? text : parsed;
        } catch (final RuntimeException e) {
            return text;
        }
    }
}
