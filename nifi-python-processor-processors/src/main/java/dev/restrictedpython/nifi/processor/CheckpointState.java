package dev.restrictedpython.nifi.processor;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The data checkpoint as NiFi state: two readable entries, the value as text and its Python type, so that an
 * int comes back as an int and a datetime as a datetime.
 */
public final class CheckpointState {

    public static final String VALUE_KEY = "data.checkpoint";
    public static final String TYPE_KEY = "data.checkpoint.type";

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d+");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?");

    private CheckpointState() {
    }

    /** The stored checkpoint as a plain Java value, if the state holds one. */
    static Optional<Object> read(Map<String, String> state) {
        String value = state.get(VALUE_KEY);
        String type = state.get(TYPE_KEY);
        if (value == null || type == null) {
            return Optional.empty();
        }
        return Optional.of(fromText(type, value));
    }

    /** State entries holding {@code value}; {@code current} entries not about the checkpoint are kept. */
    static Map<String, String> write(Map<String, String> current, Object value) {
        Map<String, String> updated = new HashMap<>(current);
        updated.put(VALUE_KEY, toText(value));
        updated.put(TYPE_KEY, pythonType(value));
        return updated;
    }

    /** True when the value can be stored and handed back with its type. */
    static boolean isStorable(Object value) {
        return value instanceof String || value instanceof Long || value instanceof BigInteger || value instanceof Double
                || value instanceof Boolean || value instanceof BigDecimal || value instanceof LocalDate
                || value instanceof LocalTime || value instanceof Instant;
    }

    static String pythonType(Object value) {
        if (value instanceof Long || value instanceof BigInteger) {
            return "int";
        }
        if (value instanceof Double) {
            return "float";
        }
        if (value instanceof Boolean) {
            return "bool";
        }
        if (value instanceof BigDecimal) {
            return "Decimal";
        }
        if (value instanceof LocalDate) {
            return "date";
        }
        if (value instanceof LocalTime) {
            return "time";
        }
        if (value instanceof Instant) {
            return "datetime";
        }
        return "str";
    }

    private static String toText(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return String.valueOf(value);
    }

    private static Object fromText(String type, String text) {
        return switch (type) {
            case "int" -> integer(text);
            case "float" -> Double.parseDouble(text);
            case "bool" -> Boolean.parseBoolean(text);
            case "Decimal" -> new BigDecimal(text);
            case "date" -> LocalDate.parse(text);
            case "time" -> LocalTime.parse(text);
            case "datetime" -> Instant.parse(text);
            default -> text;
        };
    }

    /**
     * The Initial Data Checkpoint property as a typed value: a whole number is an int, a number with a fraction
     * or exponent a float, true/false a bool, an ISO-8601 date or date-time a date or (UTC) datetime; anything
     * else is a str. Quote it ('42' or "42") to force a str.
     */
    static Object parseInitial(String text) {
        String trimmed = text.trim();
        if (trimmed.length() >= 2 && (trimmed.startsWith("'") && trimmed.endsWith("'")
                || trimmed.startsWith("\"") && trimmed.endsWith("\""))) {
            return trimmed.substring(1, trimmed.length() - 1);
        }
        if (INTEGER.matcher(trimmed).matches()) {
            return integer(trimmed);
        }
        if (FLOAT.matcher(trimmed).matches()) {
            return Double.parseDouble(trimmed);
        }
        if (trimmed.equalsIgnoreCase("true") || trimmed.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(trimmed);
        }
        return parseTemporal(trimmed).orElse(text);
    }

    private static Optional<Object> parseTemporal(String text) {
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException ignored) {
            // not a date
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException ignored) {
            // no offset
        }
        try {
            return Optional.of(LocalDateTime.parse(text).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            return Optional.empty();
        }
    }

    private static Object integer(String text) {
        BigInteger value = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }
}
