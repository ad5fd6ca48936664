package dev.restrictedpython.nifi.records;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;

/**
 * Describes plain values the way a Python user sees them: type names ({@code str}, {@code int}, ...)
 * and a short, repr-like rendering for error messages.
 */
final class PythonNames {

    static final int MAX_SHOWN_CHARS = 40;

    private static final String ELLIPSIS = "...";

    private PythonNames() {
    }

    /** Python type name of a plain value; the Java simple class name for anything outside the vocabulary. */
    static String typeName(final Object value) {
        return switch (value) {
            case null -> "None";
            case String ignored -> "str";
            case Boolean ignored -> "bool";
            case Long ignored -> "int";
            case Integer ignored -> "int";
            case Short ignored -> "int";
            case Byte ignored -> "int";
            case BigInteger ignored -> "int";
            case Double ignored -> "float";
            case Float ignored -> "float";
            case BigDecimal ignored -> "Decimal";
            case LocalDate ignored -> "date";
            case LocalTime ignored -> "time";
            case Instant ignored -> "datetime";
            case byte[] ignored -> "bytes";
            case List<?> ignored -> "list";
            case Map<?, ?> ignored -> "dict";
            default -> value.getClass().getSimpleName();
        };
    }

    /** A repr-like rendering of the value, cut to about {@value #MAX_SHOWN_CHARS} characters. */
    static String shortRepr(final Object value) {
        final StringBuilder out = new StringBuilder();
        appendRepr(out, value);
        if (out.length() <= MAX_SHOWN_CHARS) {
            return out.toString();
        }
        return out.substring(0, MAX_SHOWN_CHARS - ELLIPSIS.length()) + ELLIPSIS;
    }

    // Stops descending once the text is long enough: big lists must not be rendered in full.
    private static void appendRepr(final StringBuilder out, final Object value) {
        if (out.length() > MAX_SHOWN_CHARS) {
            return;
        }
        switch (value) {
            case null -> out.append("None");
            case String s -> out.append('\'').append(s, 0, Math.min(s.length(), MAX_SHOWN_CHARS + 1)).append('\'');
            case Boolean b -> out.append(b ? "True" : "False");
            case byte[] bytes -> appendBytes(out, bytes);
            case List<?> list -> appendList(out, list);
            case Map<?, ?> map -> appendMap(out, map);
            default -> out.append(value);
        }
    }

    private static void appendBytes(final StringBuilder out, final byte[] bytes) {
        out.append("b'");
        for (int i = 0; i < bytes.length && out.length() <= MAX_SHOWN_CHARS; i++) {
            final int b = bytes[i] & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\'' && b != '\\') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        out.append('\'');
    }

    private static void appendList(final StringBuilder out, final List<?> list) {
        out.append('[');
        String separator = "";
        for (final Object element : list) {
            if (out.length() > MAX_SHOWN_CHARS) {
                break;
            }
            out.append(separator);
            appendRepr(out, element);
            separator = ", ";
        }
        out.append(']');
    }

    private static void appendMap(final StringBuilder out, final Map<?, ?> map) {
        out.append('{');
        String separator = "";
        for (final Map.Entry<?, ?> entry : map.entrySet()) {
            if (out.length() > MAX_SHOWN_CHARS) {
                break;
            }
            out.append(separator);
            appendRepr(out, entry.getKey());
            out.append(": ");
            appendRepr(out, entry.getValue());
            separator = ", ";
        }
        out.append('}');
    }
}
