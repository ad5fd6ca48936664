package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Infers a NiFi record schema from a stream of plain-value items, one item at a time, so a caller
 * need not keep the items. Fields appear in order of first appearance and are all nullable.
 *
 * <p>Types: int → LONG (BIGINT beyond long range), float → DOUBLE, str → STRING, bool → BOOLEAN,
 * Decimal → DECIMAL(precision, scale), date → DATE, time → TIME, datetime → TIMESTAMP,
 * bytes → ARRAY(BYTE), list → ARRAY(merged element type), dict → RECORD. A field only ever null is
 * STRING. Across items LONG+DOUBLE → DOUBLE, LONG+BIGINT → BIGINT, LONG/BIGINT+DECIMAL → DECIMAL,
 * DECIMAL+DECIMAL → the wider DECIMAL, RECORD+RECORD and ARRAY+ARRAY merge, anything else → CHOICE.</p>
 *
 * <p>Not thread-safe.</p>
 */
public final class OutputSchemaBuilder {

    // Fields in order of first appearance, each merged in place once per item. Items mostly repeat the keys of the
    // item before, in the same order, so a key is first compared with the one after the last key seen (wrapping to
    // the first): one equals instead of a hash lookup, whose hash is not cached yet for keys that arrive as new
    // strings (measured: schema inference was 6-11% of a bulk run's main thread, half of it in HashMap).
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Shape> shapes = new ArrayList<>();
    private int next;

    /** Widens the schema so it also describes {@code item}. */
    public OutputSchemaBuilder add(final Map<String, ?> item) {
        item.forEach((key, value) -> addField(String.valueOf(key), value));
        return this;
    }

    /**
     * Widens the schema so it also describes one field of an item: adding an item's fields one by one, in order,
     * is the same as adding the item.
     */
    public OutputSchemaBuilder addField(final String key, final Object value) {
        final Shape shape = Shape.of(value);
        int position = expectedPosition(key);
        if (position < 0) {
            final Integer known = positions.get(key);
            if (known == null) {
                position = names.size();
                positions.put(key, position);
                names.add(key);
                shapes.add(shape);
                next = position + 1;
                return this;
            }
            position = known;
        }
        shapes.set(position, Shape.merge(shapes.get(position), shape));
        next = position + 1;
        return this;
    }

    /** The position of {@code key} when it is the field after the last one added (or the first), else -1. */
    private int expectedPosition(final String key) {
        if (names.isEmpty()) {
            return -1;
        }
        final int candidate = next < names.size() ? next : 0;
        return names.get(candidate).equals(key) ? candidate : -1;
    }

    /** The schema describing every item added so far (no fields if none was added). */
    public RecordSchema build() {
        final Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            fields.put(names.get(i), shapes.get(i));
        }
        return new Struct(fields).toSchema();
    }

    /** The NiFi field type a plain value is inferred as, or null for a null or unknown value. */
    static RecordFieldType kindOf(final Object value) {
        return value == null ? null : Shape.of(value).toDataType().getFieldType();
    }

    /**
     * What inference knows about the values of one field. Unlike NiFi's DataType it keeps the
     * digits seen, so that int + Decimal widens to a DECIMAL just large enough.
     */
    private sealed interface Shape {

        DataType toDataType();

        static Shape of(final Object value) {
            return switch (value) {
                case null -> Nothing.INSTANCE;
                case Long l -> Integral.of(l);
                case Integer i -> Integral.of(i);
                case Short s -> Integral.of(s);
                case Byte b -> Integral.of(b);
                case BigInteger big -> Integral.of(big);
                case Double ignored -> Scalar.DOUBLE;
                case Float ignored -> Scalar.DOUBLE;
                case BigDecimal d -> Decimal.of(d);
                case Boolean ignored -> Scalar.BOOLEAN;
                case LocalDate ignored -> Scalar.DATE;
                case LocalTime ignored -> Scalar.TIME;
                case Instant ignored -> Scalar.TIMESTAMP;
                case byte[] ignored -> new Sequence(Scalar.BYTE);
                case List<?> list -> Sequence.of(list);
                case Object[] array -> Sequence.of(Arrays.asList(array));
                case Map<?, ?> map -> Struct.of(map);
                // str, and anything outside the vocabulary, which toRecord will store as its text
                default -> Scalar.STRING;
            };
        }

        /** Merges two shapes; a CHOICE when no rule widens one into the other. */
        static Shape merge(final Shape a, final Shape b) {
            if (a == b) {
                // most fields of most items: scalars and common integers are shared instances
                return a;
            }
            if (a instanceof Nothing) {
                return b;
            }
            if (b instanceof Nothing) {
                return a;
            }
            if (a instanceof Choice || b instanceof Choice) {
                return Choice.of(members(a), members(b));
            }
            return widen(a, b).orElseGet(() -> new Choice(List.of(a, b)));
        }

        /** The single shape covering both, when a merge rule applies. */
        static Optional<Shape> widen(final Shape a, final Shape b) {
            if (a.equals(b)) {
                return Optional.of(a);
            }
            return switch (a) {
                case Integral i when b instanceof Integral j -> Optional.of(i.merge(j));
                case Integral i when b instanceof Decimal d -> Optional.of(d.merge(i.asDecimal()));
                case Decimal d when b instanceof Integral i -> Optional.of(d.merge(i.asDecimal()));
                case Decimal d when b instanceof Decimal e -> Optional.of(d.merge(e));
                case Integral i when b == Scalar.DOUBLE && !i.big() -> Optional.of(Scalar.DOUBLE);
                case Scalar s when s == Scalar.DOUBLE && b instanceof Integral i && !i.big() -> Optional.of(Scalar.DOUBLE);
                case Struct s when b instanceof Struct t -> Optional.of(s.merge(t));
                case Sequence s when b instanceof Sequence t -> Optional.of(s.merge(t));
                default -> Optional.empty();
            };
        }

        private static List<Shape> members(final Shape shape) {
            return shape instanceof Choice choice ? choice.members() : List.of(shape);
        }
    }

    /** Only nulls (or empty lists) seen so far; STRING when built. */
    private enum Nothing implements Shape {
        INSTANCE;

        @Override
        public DataType toDataType() {
            return RecordFieldType.STRING.getDataType();
        }
    }

    private enum Scalar implements Shape {
        STRING(RecordFieldType.STRING), BOOLEAN(RecordFieldType.BOOLEAN), DOUBLE(RecordFieldType.DOUBLE),
        DATE(RecordFieldType.DATE), TIME(RecordFieldType.TIME), TIMESTAMP(RecordFieldType.TIMESTAMP), BYTE(RecordFieldType.BYTE);

        private final RecordFieldType fieldType;

        Scalar(final RecordFieldType fieldType) {
            this.fieldType = fieldType;
        }

        @Override
        public DataType toDataType() {
            return fieldType.getDataType();
        }
    }

    /** Integers: LONG unless some value needed BIGINT; digits is the most decimal digits seen. */
    private record Integral(boolean big, int digits) implements Shape {

        private static final Integral[] LONGS = new Integral[20];

        static {
            for (int digits = 1; digits < LONGS.length; digits++) {
                LONGS[digits] = new Integral(false, digits);
            }
        }

        static Integral of(final BigInteger value) {
            return new Integral(value.bitLength() >= Long.SIZE, value.abs().toString().length());
        }

        /** Without a BigInteger and its text: this runs for every integer of every output record. */
        static Integral of(final long value) {
            if (value == Long.MIN_VALUE) {
                return of(BigInteger.valueOf(value));
            }
            long magnitude = Math.abs(value);
            int digits = 1;
            while (magnitude >= 10) {
                magnitude /= 10;
                digits++;
            }
            return LONGS[digits];
        }

        Integral merge(final Integral other) {
            if ((big || !other.big) && digits >= other.digits) {
                return this;
            }
            return new Integral(big || other.big, Math.max(digits, other.digits));
        }

        Decimal asDecimal() {
            return new Decimal(digits, 0);
        }

        @Override
        public DataType toDataType() {
            return (big ? RecordFieldType.BIGINT : RecordFieldType.LONG).getDataType();
        }
    }

    /** DECIMAL by digits before and after the point, so widening keeps room for both. */
    private record Decimal(int integerDigits, int scale) implements Shape {

        static Decimal of(final BigDecimal value) {
            final int scale = Math.max(value.scale(), 0);
            return new Decimal(clamp((long) value.precision() - value.scale()), scale);
        }

        Decimal merge(final Decimal other) {
            if (integerDigits >= other.integerDigits && scale >= other.scale) {
                return this;
            }
            return new Decimal(Math.max(integerDigits, other.integerDigits), Math.max(scale, other.scale));
        }

        @Override
        public DataType toDataType() {
            return RecordFieldType.DECIMAL.getDecimalDataType(Math.max(clamp((long) integerDigits + scale), 1), scale);
        }

        // Decimal('1E+999999999') must not overflow into a negative precision
        private static int clamp(final long digits) {
            return (int) Math.min(Math.max(digits, 0), Integer.MAX_VALUE);
        }
    }

    private record Sequence(Shape element) implements Shape {

        static Sequence of(final List<?> elements) {
            Shape element = Nothing.INSTANCE;
            for (final Object value : elements) {
                element = Shape.merge(element, Shape.of(value));
            }
            return new Sequence(element);
        }

        Sequence merge(final Sequence other) {
            final Shape merged = Shape.merge(element, other.element);
            return merged.equals(element) ? this : new Sequence(merged);
        }

        @Override
        public DataType toDataType() {
            return RecordFieldType.ARRAY.getArrayDataType(element.toDataType(), true);
        }
    }

    private record Struct(Map<String, Shape> fields) implements Shape {

        static Struct of(final Map<?, ?> map) {
            final Map<String, Shape> fields = new LinkedHashMap<>();
            map.forEach((key, value) -> fields.merge(String.valueOf(key), Shape.of(value), Shape::merge));
            return new Struct(Collections.unmodifiableMap(fields));
        }

        Struct merge(final Struct other) {
            if (equals(other)) {
                return this;
            }
            final Map<String, Shape> merged = new LinkedHashMap<>(fields);
            other.fields.forEach((name, shape) -> merged.merge(name, shape, Shape::merge));
            return new Struct(Collections.unmodifiableMap(merged));
        }

        RecordSchema toSchema() {
            final List<RecordField> recordFields = new ArrayList<>(fields.size());
            fields.forEach((name, shape) -> recordFields.add(new RecordField(name, shape.toDataType(), true)));
            return new SimpleRecordSchema(recordFields);
        }

        @Override
        public DataType toDataType() {
            return RecordFieldType.RECORD.getRecordDataType(toSchema());
        }
    }

    /** Distinct shapes in order of first appearance; a new shape widens the first member it can. */
    private record Choice(List<Shape> members) implements Shape {

        static Shape of(final List<Shape> first, final List<Shape> second) {
            final List<Shape> members = new ArrayList<>(first);
            for (final Shape shape : second) {
                add(members, shape);
            }
            return members.size() == 1 ? members.getFirst() : new Choice(List.copyOf(members));
        }

        private static void add(final List<Shape> members, final Shape shape) {
            for (int i = 0; i < members.size(); i++) {
                final Optional<Shape> widened = Shape.widen(members.get(i), shape);
                if (widened.isPresent()) {
                    members.set(i, widened.get());
                    return;
                }
            }
            members.add(shape);
        }

        @Override
        public DataType toDataType() {
            return RecordFieldType.CHOICE.getChoiceDataType(members.stream().map(Shape::toDataType).toList());
        }
    }
}
