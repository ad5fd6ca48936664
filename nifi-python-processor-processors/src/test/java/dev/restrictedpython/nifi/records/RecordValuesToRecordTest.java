package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.field;
import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.schema;
import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecordValuesToRecordTest {

    private static final RecordSchema POINT = schema(field("x", RecordFieldType.INT.getDataType()), field("y", RecordFieldType.INT.getDataType()));

    @Test
    void textTypes() {
        assertEquals("abc", stored(RecordFieldType.STRING.getDataType(), "abc"));
        assertEquals('x', stored(RecordFieldType.CHAR.getDataType(), "x"));
        assertEquals("GREEN", stored(RecordFieldType.ENUM.getEnumDataType(List.of("RED", "GREEN")), "GREEN"));
        assertEquals(UUID.fromString("123e4567-e89b-12d3-a456-426614174000"),
                stored(RecordFieldType.UUID.getDataType(), "123e4567-e89b-12d3-a456-426614174000"));
        // scalars into a STRING field are stored as their text
        assertEquals("42", stored(RecordFieldType.STRING.getDataType(), 42L));
    }

    @Test
    void booleanType() {
        assertEquals(Boolean.TRUE, stored(RecordFieldType.BOOLEAN.getDataType(), true));
    }

    @Test
    void integerTypesGetTheirJavaType() {
        assertEquals((byte) -7, stored(RecordFieldType.BYTE.getDataType(), -7L));
        assertEquals((short) 300, stored(RecordFieldType.SHORT.getDataType(), 300L));
        assertEquals(70_000, stored(RecordFieldType.INT.getDataType(), 70_000L));
        assertEquals(Long.MAX_VALUE, stored(RecordFieldType.LONG.getDataType(), Long.MAX_VALUE));
        // an integral float is an integer; Python users write 3.0 for 3 often enough
        assertEquals(3, stored(RecordFieldType.INT.getDataType(), 3.0d));
    }

    @Test
    void bigIntSmallAndHuge() {
        assertEquals(BigInteger.valueOf(42), stored(RecordFieldType.BIGINT.getDataType(), 42L));
        final BigInteger huge = BigInteger.TWO.pow(100);
        assertEquals(huge, stored(RecordFieldType.BIGINT.getDataType(), huge));
    }

    @Test
    void floatingTypes() {
        assertEquals(0.1f, stored(RecordFieldType.FLOAT.getDataType(), 0.1d));
        assertEquals(2.5d, stored(RecordFieldType.DOUBLE.getDataType(), 2.5d));
        assertEquals(7.0d, stored(RecordFieldType.DOUBLE.getDataType(), 7L));
    }

    @Test
    void decimalIsExact() {
        final BigDecimal wide = new BigDecimal("12345678901234567890.123456789012345678");
        assertEquals(wide, stored(RecordFieldType.DECIMAL.getDecimalDataType(38, 18), wide));
        assertEquals(new BigDecimal("0.1"), stored(RecordFieldType.DECIMAL.getDecimalDataType(38, 1), new BigDecimal("0.1")));
        assertEquals(new BigDecimal("0.1"), stored(RecordFieldType.DECIMAL.getDecimalDataType(38, 1), 0.1d));
        assertEquals(new BigDecimal("123"), stored(RecordFieldType.DECIMAL.getDecimalDataType(38, 0), 123L));
        // a negative scale would print as 1E+3 in CSV
        assertEquals("1000", stored(RecordFieldType.DECIMAL.getDecimalDataType(10, 0), new BigDecimal("1E+3")).toString());
        // ...but a huge exponent is not expanded into a billion digits
        assertEquals(new BigDecimal("1E+999999999"), stored(RecordFieldType.DECIMAL.getDecimalDataType(10, 0), new BigDecimal("1E+999999999")));
    }

    @Test
    void dateIsStoredAsSqlDate() {
        final Object stored = stored(RecordFieldType.DATE.getDataType(), LocalDate.of(2024, 2, 29));
        assertEquals(java.sql.Date.valueOf("2024-02-29"), assertInstanceOf(java.sql.Date.class, stored));
        assertEquals(java.sql.Date.valueOf("2024-02-29"), stored(RecordFieldType.DATE.getDataType(), "2024-02-29"));
        assertEquals(java.sql.Date.valueOf("2024-02-29"), stored(RecordFieldType.DATE.getDataType(), Instant.parse("2024-02-29T23:00:00Z")));
    }

    @Test
    void timeIsStoredAsSqlTimeWhichHoldsMilliseconds() {
        final Object stored = stored(RecordFieldType.TIME.getDataType(), LocalTime.of(12, 34, 56, 123_456_000));
        final Time time = assertInstanceOf(Time.class, stored);
        // java.sql.Time cannot hold the micros; NiFi's own conversion drops them too
        assertEquals(LocalTime.of(12, 34, 56, 123_000_000), RecordValues.plainValue(time, RecordFieldType.TIME.getDataType()));
        assertEquals(LocalTime.of(8, 0, 1), RecordValues.plainValue(stored(RecordFieldType.TIME.getDataType(), "08:00:01"), RecordFieldType.TIME.getDataType()));
    }

    @Test
    void timestampIsStoredAsSqlTimestampKeepingMicros() {
        final Instant instant = Instant.parse("2024-03-01T12:00:45.123456Z");
        final Timestamp timestamp = assertInstanceOf(Timestamp.class, stored(RecordFieldType.TIMESTAMP.getDataType(), instant));
        assertEquals(instant, timestamp.toInstant());
        assertEquals(123_456_000, timestamp.getNanos());
        // ISO text as Python's str(datetime) writes it
        assertEquals(instant, ((Timestamp) stored(RecordFieldType.TIMESTAMP.getDataType(), "2024-03-01 14:00:45.123456+02:00")).toInstant());
        assertEquals(Instant.parse("2024-03-01T00:00:00Z"), ((Timestamp) stored(RecordFieldType.TIMESTAMP.getDataType(), LocalDate.of(2024, 3, 1))).toInstant());
    }

    @Test
    void nestedRecord() {
        final RecordSchema outer = schema(field("name", RecordFieldType.STRING.getDataType()), field("at", RecordFieldType.RECORD.getRecordDataType(POINT)));

        final Record record = RecordValues.toRecord(values("name", "p", "at", values("y", 2L, "x", 1L, "z", 3L)), outer, 0);

        final Record at = assertInstanceOf(Record.class, record.getValue("at"));
        assertEquals(POINT, at.getSchema());
        assertEquals(1, at.getValue("x"));
        assertEquals(2, at.getValue("y"));
        assertNull(at.getValue("z"));
    }

    @Test
    void arrayOfInts() {
        final Object[] stored = (Object[]) stored(RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.INT.getDataType()), Arrays.asList(1L, null, 3L));
        assertArrayEquals(new Object[]{1, null, 3}, stored);
    }

    @Test
    void arrayOfRecords() {
        final Object[] stored = (Object[]) stored(RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.RECORD.getRecordDataType(POINT)),
                List.of(values("x", 1L, "y", 2L), values("x", 3L)));
        assertEquals(2, stored.length);
        assertEquals(2, ((Record) stored[0]).getValue("y"));
        assertEquals(3, ((Record) stored[1]).getValue("x"));
        assertNull(((Record) stored[1]).getValue("y"));
    }

    @Test
    void arrayOfBytes() {
        final DataType bytes = RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.BYTE.getDataType());
        assertArrayEquals(new Byte[]{1, -2, 3}, (Object[]) stored(bytes, new byte[]{1, -2, 3}));
        assertArrayEquals(new Byte[]{4, 5}, (Object[]) stored(bytes, List.of(4L, 5L)));
    }

    @Test
    void mapValuesAreCoerced() {
        final Map<?, ?> stored = (Map<?, ?>) stored(RecordFieldType.MAP.getMapDataType(RecordFieldType.INT.getDataType()), values("b", 2L, "a", 1L));
        assertEquals(List.of("b", "a"), new ArrayList<>(stored.keySet()));
        assertEquals(2, stored.get("b"));
    }

    @Test
    void choicePicksTheSubTypeOfTheValuesKind() {
        final DataType choice = RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.STRING.getDataType(), RecordFieldType.LONG.getDataType(),
                RecordFieldType.RECORD.getRecordDataType(POINT));
        assertEquals(5L, stored(choice, 5L));
        assertEquals("5", stored(choice, "5"));
        assertInstanceOf(Record.class, stored(choice, values("x", 1L)));
        // no LONG in the choice: NiFi's choice picks the wider DOUBLE
        final DataType noLong = RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.BOOLEAN.getDataType(), RecordFieldType.DOUBLE.getDataType());
        assertEquals(5.0d, stored(noLong, 5L));
        assertEquals(Timestamp.from(Instant.EPOCH),
                stored(RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.BOOLEAN.getDataType(), RecordFieldType.TIMESTAMP.getDataType()), Instant.EPOCH));
    }

    @Test
    void nullStaysNull() {
        assertNull(stored(RecordFieldType.INT.getDataType(), null));
        assertNull(stored(RecordFieldType.RECORD.getRecordDataType(POINT), null));
    }

    @Test
    void plainValuesRoundTrip() {
        final Map<String, Object> item = new LinkedHashMap<>();
        item.put("s", "text");
        item.put("n", 12L);
        item.put("big", BigInteger.TEN.pow(30));
        item.put("f", 1.25d);
        item.put("d", new BigDecimal("-0.000001"));
        item.put("b", true);
        item.put("day", LocalDate.of(1999, 12, 31));
        item.put("t", LocalTime.of(1, 2, 3, 4_000_000));
        item.put("ts", Instant.parse("2038-01-19T03:14:08.000001Z"));
        item.put("raw", new byte[]{0, 127});
        item.put("list", List.of(1L, 2L));
        item.put("obj", values("k", "v"));
        item.put("none", null);

        final Map<String, Object> back = RecordValues.toPlain(RecordValues.toRecord(item, OutputSchemas.infer(List.of(item)), 0));

        assertArrayEquals((byte[]) item.get("raw"), (byte[]) back.get("raw"));
        back.remove("raw");
        item.remove("raw");
        assertEquals(item, back);
    }

    @Test
    void missingKeysAreNullAndExtraKeysIgnored() {
        final RecordSchema schema = schema(field("a", RecordFieldType.LONG.getDataType()), field("b", RecordFieldType.STRING.getDataType()),
                field("c", RecordFieldType.DATE.getDataType()));

        final Record record = RecordValues.toRecord(values("z", "ignored", "a", 1L), schema, 0);

        assertEquals(List.of("a", "b", "c"), new ArrayList<>(record.getRawFieldNames()));
        assertEquals(1L, record.getValue("a"));
        assertNull(record.getValue("b"));
        assertNull(record.getValue("c"));
        assertNull(record.getValue("z"));
        assertEquals(Arrays.asList(1L, null, null), new ArrayList<>(RecordValues.toPlain(record).values()));
    }

    @Test
    void failureNamesItemFieldAndValueInPythonTerms() {
        final RecordSchema schema = schema(field("price", RecordFieldType.DECIMAL.getDecimalDataType(10, 2)));

        final OutputConversionException e = assertThrows(OutputConversionException.class, () -> RecordValues.toRecord(values("price", "abc"), schema, 3));

        assertEquals("item 3, field 'price': cannot convert str 'abc' to DECIMAL", e.getMessage());
        assertEquals(3, e.getItemIndex());
        assertEquals("price", e.getFieldPath());
    }

    @Test
    void failuresForLossyOrMeaninglessConversions() {
        assertEquals("item 0, field 'v': cannot convert int 300 to BYTE (out of range)", failure(RecordFieldType.BYTE.getDataType(), 300L));
        assertEquals("item 0, field 'v': cannot convert int 2147483648 to INT (out of range)", failure(RecordFieldType.INT.getDataType(), 2_147_483_648L));
        assertEquals("item 0, field 'v': cannot convert float 1.5 to LONG (not an integer)", failure(RecordFieldType.LONG.getDataType(), 1.5d));
        assertEquals("item 0, field 'v': cannot convert bool True to LONG", failure(RecordFieldType.LONG.getDataType(), true));
        assertEquals("item 0, field 'v': cannot convert Decimal 1E+999999999 to BIGINT (out of range)",
                failure(RecordFieldType.BIGINT.getDataType(), new BigDecimal("1E+999999999")));
        assertEquals("item 0, field 'v': cannot convert list [1, 2] to STRING", failure(RecordFieldType.STRING.getDataType(), List.of(1L, 2L)));
        assertEquals("item 0, field 'v': cannot convert bytes b'a\\x00' to STRING", failure(RecordFieldType.STRING.getDataType(), new byte[]{'a', 0}));
        assertEquals("item 0, field 'v': cannot convert str 'ab' to CHAR (not a single character)", failure(RecordFieldType.CHAR.getDataType(), "ab"));
        assertEquals("item 0, field 'v': cannot convert str 'BLUE' to ENUM (not one of [RED])",
                failure(RecordFieldType.ENUM.getEnumDataType(List.of("RED")), "BLUE"));
        assertEquals("item 0, field 'v': cannot convert time 10:00 to TIMESTAMP", failure(RecordFieldType.TIMESTAMP.getDataType(), LocalTime.of(10, 0)));
        assertEquals("item 0, field 'v': cannot convert str 'soon' to DATE", failure(RecordFieldType.DATE.getDataType(), "soon"));
        assertEquals("item 0, field 'v': cannot convert dict {'a': 1} to LONG", failure(RecordFieldType.LONG.getDataType(), values("a", 1L)));
        assertEquals("item 0, field 'v': cannot convert int 1 to RECORD", failure(RecordFieldType.RECORD.getRecordDataType(POINT), 1L));
        assertEquals("item 0, field 'v': cannot convert bool True to CHOICE (no matching type in the CHOICE)",
                failure(RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.LONG.getDataType(), RecordFieldType.DATE.getDataType()), true));
    }

    @Test
    void failureInsideNestedValuesNamesThePath() {
        final RecordSchema outer = schema(field("at", RecordFieldType.RECORD.getRecordDataType(POINT)),
                field("tags", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.LONG.getDataType())),
                field("attrs", RecordFieldType.MAP.getMapDataType(RecordFieldType.BOOLEAN.getDataType())));

        assertEquals("item 1, field 'at.y': cannot convert str 'two' to INT",
                assertThrows(OutputConversionException.class, () -> RecordValues.toRecord(values("at", values("x", 1L, "y", "two")), outer, 1)).getMessage());
        assertEquals("item 2, field 'tags[1]': cannot convert float 0.5 to LONG (not an integer)",
                assertThrows(OutputConversionException.class, () -> RecordValues.toRecord(values("tags", List.of(1L, 0.5d)), outer, 2)).getMessage());
        assertEquals("item 4, field 'attrs['ok']': cannot convert str 'yes' to BOOLEAN",
                assertThrows(OutputConversionException.class, () -> RecordValues.toRecord(values("attrs", values("ok", "yes")), outer, 4)).getMessage());
    }

    /** An item given as key and value arrays makes the record its map would make: fields in the schema's order
     *  (no map built), in another order, missing or extra; a failure names the same item and field. */
    @Test
    void itemAsArraysMakesTheRecordItsMapMakes() {
        final RecordSchema schema = schema(field("id", RecordFieldType.LONG.getDataType()),
                field("at", RecordFieldType.RECORD.getRecordDataType(POINT)),
                field("name", RecordFieldType.STRING.getDataType()));
        final Map<String, Object> point = values("x", 1L, "y", 2L);
        final List<Object[]> items = List.of(
                new Object[] {"id", 7L, "at", point, "name", "a"},
                new Object[] {"name", "b", "id", 8L, "at", point},
                new Object[] {"id", 9L},
                new Object[] {"id", 10L, "at", null, "name", "c", "extra", true});
        for (int i = 0; i < items.size(); i++) {
            final Object[] pairs = items.get(i);
            final String[] keys = new String[pairs.length / 2 + 2];
            final Object[] fieldValues = new Object[keys.length];
            final Map<String, Object> item = new LinkedHashMap<>();
            for (int k = 0; k < pairs.length / 2; k++) {
                keys[k] = (String) pairs[2 * k];
                fieldValues[k] = pairs[2 * k + 1];
                item.put(keys[k], fieldValues[k]);
            }
            final Record expected = RecordValues.toRecord(item, schema, i);
            final Record actual = RecordValues.toRecord(keys, fieldValues, pairs.length / 2, schema, i);
            assertEquals(expected.toMap(), actual.toMap(), "item " + i);
        }
        assertEquals(8L, RecordValues.toRecord(new String[] {"name", "id", "at"}, new Object[] {"b", 8L, point}, 3,
                schema, 0).getValue("id"));
        assertEquals("item 5, field 'at.y': cannot convert str 'two' to INT",
                assertThrows(OutputConversionException.class, () -> RecordValues.toRecord(
                        new String[] {"id", "at", "name"}, new Object[] {1L, values("x", 1L, "y", "two"), "n"}, 3,
                        schema, 5)).getMessage());
    }

    @Test
    void longValuesAreCutInTheMessage() {
        final String message = failure(RecordFieldType.LONG.getDataType(), "x".repeat(100));
        assertEquals("item 0, field 'v': cannot convert str '" + "x".repeat(36) + "... to LONG", message);
    }

    private static String failure(final DataType type, final Object value) {
        return assertThrows(OutputConversionException.class, () -> stored(type, value)).getMessage();
    }

    private static Object stored(final DataType type, final Object value) {
        final Map<String, Object> item = new LinkedHashMap<>();
        item.put("v", value);
        return RecordValues.toRecord(item, schema(field("v", type)), 0).getValue("v");
    }
}
