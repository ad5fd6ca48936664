package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Value;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How plain Java values cross into Python and back (the other half is {@code statement_host.py}).
 * Strings, whole numbers that fit a long, doubles, booleans and null cross as themselves; everything else as a
 * two-element array {@code [tag, payload]} that the host glue turns into the Python type. A record crosses as a
 * flat array {@code [name, value, name, value, ...]}, which Python turns into a dict in one pass.
 */
final class WireFormat {

    private static final Instant EPOCH = Instant.EPOCH;

    private WireFormat() {
    }

    static Object[] encodeRecord(Map<String, ?> record) {
        Object[] flat = new Object[record.size() * 2];
        int index = 0;
        for (Map.Entry<String, ?> field : record.entrySet()) {
            flat[index++] = field.getKey();
            flat[index++] = encode(field.getValue());
        }
        return flat;
    }

    static Object encode(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Long
                || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float floatValue) {
            return floatValue.doubleValue();
        }
        if (value instanceof BigInteger bigInteger) {
            return bigInteger.bitLength() < 64 ? (Object) bigInteger.longValue() : tagged("I", bigInteger.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return tagged("D", decimal.toString());
        }
        if (value instanceof LocalDate date) {
            return tagged("d", date.toEpochDay());
        }
        if (value instanceof LocalTime time) {
            return tagged("t", time.toNanoOfDay() / 1000);
        }
        if (value instanceof Instant instant) {
            return tagged("T", ChronoUnit.MICROS.between(EPOCH, instant));
        }
        if (value instanceof byte[] bytes) {
            return tagged("B", bytes);
        }
        if (value instanceof Map<?, ?> map) {
            Object[] flat = new Object[map.size() * 2];
            int index = 0;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                flat[index++] = String.valueOf(entry.getKey());
                flat[index++] = encode(entry.getValue());
            }
            return tagged("R", flat);
        }
        if (value instanceof List<?> list) {
            Object[] elements = new Object[list.size()];
            for (int i = 0; i < elements.length; i++) {
                elements[i] = encode(list.get(i));
            }
            return tagged("L", elements);
        }
        return value.toString();
    }

    private static Object[] tagged(String tag, Object payload) {
        return new Object[] {tag, payload};
    }

    /** One returned item, already validated by the host glue as a flat {@code [key, value, ...]} list. */
    static Map<String, Object> decodeItem(Value flat) {
        long size = flat.getArraySize();
        Map<String, Object> item = new LinkedHashMap<>((int) (size / 2 * 4 / 3) + 1);
        for (long index = 0; index < size; index += 2) {
            item.put(flat.getArrayElement(index).asString(), decode(flat.getArrayElement(index + 1)));
        }
        return item;
    }

    static Object decode(Value value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            Object number = value.as(Object.class);
            return number instanceof Double || number instanceof Float ? (Object) value.asDouble() : (Object) value.asLong();
        }
        return decodeTagged(value.getArrayElement(0).asString(), value.getArrayElement(1));
    }

    private static Object decodeTagged(String tag, Value payload) {
        return switch (tag) {
            case "R" -> decodeItem(payload);
            case "L" -> decodeList(payload);
            case "D" -> new BigDecimal(payload.asString());
            case "I" -> new BigInteger(payload.asString());
            case "d" -> LocalDate.ofEpochDay(payload.asLong());
            case "t" -> LocalTime.ofNanoOfDay(payload.asLong() * 1000);
            case "T" -> EPOCH.plus(payload.asLong(), ChronoUnit.MICROS);
            case "B" -> decodeBytes(payload);
            default -> throw new IllegalStateException("unknown wire tag " + tag);
        };
    }

    private static List<Object> decodeList(Value payload) {
        int size = (int) payload.getArraySize();
        List<Object> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(decode(payload.getArrayElement(i)));
        }
        return list;
    }

    private static byte[] decodeBytes(Value payload) {
        byte[] bytes = new byte[(int) payload.getArraySize()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) payload.getArrayElement(i).asInt();
        }
        return bytes;
    }
}
