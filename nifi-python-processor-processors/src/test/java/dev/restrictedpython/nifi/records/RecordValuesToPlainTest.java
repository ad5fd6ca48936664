package dev.restrictedpython.nifi.records;

import org.apache.nifi.serialization.SimpleRecordSchema;
import org.apache.nifi.serialization.record.DataType;
import org.apache.nifi.serialization.record.MapRecord;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordField;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class RecordValuesToPlainTest {

    private static final RecordSchema POINT = schema(field("x", RecordFieldType.LONG.getDataType()), field("y", RecordFieldType.LONG.getDataType()));

    @Test
    void textTypesBecomeStrings() {
        final UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        final Map<String, Object> plain = plainOf(
                List.of(field("s", RecordFieldType.STRING.getDataType()),
                        field("c", RecordFieldType.CHAR.getDataType()),
                        field("e", RecordFieldType.ENUM.getEnumDataType(List.of("RED", "GREEN"))),
                        field("u", RecordFieldType.UUID.getDataType())),
                values("s", "abc", "c", 'x', "e", "GREEN", "u", uuid));

        assertEquals(Map.of("s", "abc", "c", "x", "e", "GREEN", "u", "123e4567-e89b-12d3-a456-426614174000"), plain);
    }

    @Test
    void booleanStaysBoolean() {
        assertEquals(Boolean.TRUE, single(RecordFieldType.BOOLEAN.getDataType(), true));
        assertEquals(Boolean.FALSE, single(RecordFieldType.BOOLEAN.getDataType(), "false"));
    }

    @Test
    void integerTypesBecomeLong() {
        assertEquals(7L, single(RecordFieldType.BYTE.getDataType(), (byte) 7));
        assertEquals(-300L, single(RecordFieldType.SHORT.getDataType(), (short) -300));
        assertEquals(70_000L, single(RecordFieldType.INT.getDataType(), 70_000));
        assertEquals(Long.MIN_VALUE, single(RecordFieldType.LONG.getDataType(), Long.MIN_VALUE));
    }

    @Test
    void bigIntIsLongWhenItFitsAndBigIntegerOtherwise() {
        final Object small = single(RecordFieldType.BIGINT.getDataType(), BigInteger.valueOf(42));
        assertInstanceOf(Long.class, small);
        assertEquals(42L, small);

        final BigInteger huge = BigInteger.TWO.pow(70).negate();
        final Object big = single(RecordFieldType.BIGINT.getDataType(), huge);
        assertInstanceOf(BigInteger.class, big);
        assertEquals(new BigInteger("-1180591620717411303424"), big);

        assertEquals(Long.MAX_VALUE, single(RecordFieldType.BIGINT.getDataType(), BigInteger.valueOf(Long.MAX_VALUE)));
    }

    @Test
    void floatingTypesBecomeDouble() {
        // via the float's shortest text: 0.1f reads as 0.1, not 0.10000000149011612
        assertEquals(0.1d, single(RecordFieldType.FLOAT.getDataType(), 0.1f));
        assertEquals(-2.5d, single(RecordFieldType.DOUBLE.getDataType(), -2.5d));
    }

    @Test
    void decimalIsExact() {
        final BigDecimal wide = new BigDecimal("12345678901234567890.123456789012345678");
        assertEquals(wide, single(RecordFieldType.DECIMAL.getDecimalDataType(38, 18), wide));
        assertEquals(new BigDecimal("0.1"), single(RecordFieldType.DECIMAL.getDecimalDataType(38, 1), new BigDecimal("0.1")));
        // a double stored in a DECIMAL field: by its shortest text, not its binary expansion
        assertEquals(new BigDecimal("0.1"), single(RecordFieldType.DECIMAL.getDecimalDataType(10, 1), 0.1d));
    }

    @Test
    void dateBecomesLocalDate() {
        final DataType date = RecordFieldType.DATE.getDataType();
        assertEquals(LocalDate.of(2024, 2, 29), single(date, java.sql.Date.valueOf("2024-02-29")));
        assertEquals(LocalDate.of(2024, 2, 29), single(date, LocalDate.of(2024, 2, 29)));
        assertEquals(LocalDate.of(2024, 2, 29), single(date, "2024-02-29"));
        assertEquals("29/02/2024", single(date, "29/02/2024"));
        assertEquals(LocalDate.of(2024, 2, 29), single(RecordFieldType.DATE.getDataType("dd/MM/yyyy"), "29/02/2024"));
    }

    @Test
    void timeBecomesLocalTimeKeepingWhatPrecisionTheSourceHas() {
        final DataType time = RecordFieldType.TIME.getDataType();
        assertEquals(LocalTime.of(12, 34, 56, 123_456_000), single(time, LocalTime.of(12, 34, 56, 123_456_000)));
        // java.sql.Time holds milliseconds; Time.toLocalTime() would drop them
        final Time sqlTime = new Time(LocalTime.of(12, 34, 56, 789_000_000).atDate(LocalDate.EPOCH).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli());
        assertEquals(LocalTime.of(12, 34, 56, 789_000_000), single(time, sqlTime));
        assertEquals(LocalTime.of(23, 59, 1), single(time, "23:59:01"));
        assertEquals(LocalTime.of(23, 59, 1, 250_000_000), single(RecordFieldType.TIME.getDataType("HH:mm:ss.SSS"), "23:59:01.250"));
        assertEquals("noon", single(time, "noon"));
    }

    @Test
    void timestampBecomesInstantKeepingMicros() {
        final DataType timestamp = RecordFieldType.TIMESTAMP.getDataType();
        final Instant instant = Instant.parse("2024-03-01T12:00:45.123456Z");
        assertEquals(instant, single(timestamp, Timestamp.from(instant)));
        assertEquals(instant, single(timestamp, instant));
        assertEquals(instant, single(timestamp, LocalDateTime.of(2024, 3, 1, 12, 0, 45, 123_456_000)));
        assertEquals(instant, single(timestamp, OffsetDateTime.of(2024, 3, 1, 14, 0, 45, 123_456_000, ZoneOffset.ofHours(2))));
        assertEquals(Instant.parse("2024-03-01T12:00:45.123Z"), single(timestamp, new java.util.Date(instant.toEpochMilli())));
        // strings go through NiFi's default format, read in the JVM's zone as NiFi does
        final Instant local = LocalDateTime.of(2024, 3, 1, 12, 0, 45).atZone(ZoneId.systemDefault()).toInstant();
        assertEquals(local, single(timestamp, "2024-03-01 12:00:45"));
        assertEquals("yesterday", single(timestamp, "yesterday"));
    }

    @Test
    void nestedRecordBecomesMapInSchemaOrder() {
        final RecordSchema outer = schema(field("name", RecordFieldType.STRING.getDataType()), field("at", RecordFieldType.RECORD.getRecordDataType(POINT)));
        final Record record = new MapRecord(outer, values("name", "p", "at", new MapRecord(POINT, values("y", 2, "x", 1))));

        final Map<String, Object> plain = RecordValues.toPlain(record);

        assertEquals(List.of("name", "at"), new ArrayList<>(plain.keySet()));
        final Map<?, ?> at = assertInstanceOf(LinkedHashMap.class, plain.get("at"));
        assertEquals(List.of("x", "y"), new ArrayList<>(at.keySet()));
        assertEquals(Map.of("x", 1L, "y", 2L), at);
    }

    @Test
    void arrayOfIntsBecomesListOfLongs() {
        final DataType ints = RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.INT.getDataType());
        assertEquals(List.of(1L, 2L, 3L), single(ints, new Object[]{1, 2, 3}));
        assertEquals(List.of(4L, 5L), single(ints, List.of(4, 5)));
    }

    @Test
    void arrayOfRecordsBecomesListOfMaps() {
        final DataType points = RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.RECORD.getRecordDataType(POINT));
        final Object plain = single(points, new Object[]{new MapRecord(POINT, values("x", 1L, "y", 2L)), null});
        final List<Map<String, Object>> expected = new ArrayList<>();
        expected.add(Map.of("x", 1L, "y", 2L));
        expected.add(null);
        assertEquals(expected, plain);
    }

    @Test
    void arrayOfBytesBecomesByteArray() {
        final DataType bytes = RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.BYTE.getDataType());
        assertArrayEquals(new byte[]{1, -2, 3}, (byte[]) single(bytes, new Byte[]{1, -2, 3}));
        assertArrayEquals(new byte[]{1, -2, 3}, (byte[]) single(bytes, new byte[]{1, -2, 3}));
        assertArrayEquals(new byte[]{4, 5}, (byte[]) single(bytes, new Object[]{(byte) 4, (byte) 5}));
    }

    @Test
    void mapValuesAreConverted() {
        final DataType map = RecordFieldType.MAP.getMapDataType(RecordFieldType.DATE.getDataType());
        final Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("b", java.sql.Date.valueOf("2024-01-02"));
        stored.put("a", null);

        final Object plain = single(map, stored);

        final Map<?, ?> result = assertInstanceOf(LinkedHashMap.class, plain);
        assertEquals(List.of("b", "a"), new ArrayList<>(result.keySet()));
        assertEquals(LocalDate.of(2024, 1, 2), result.get("b"));
        assertNull(result.get("a"));
    }

    @Test
    void choiceTakesTheValuesOwnType() {
        final DataType choice = RecordFieldType.CHOICE.getChoiceDataType(RecordFieldType.LONG.getDataType(), RecordFieldType.STRING.getDataType(),
                RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.BYTE.getDataType()), RecordFieldType.TIMESTAMP.getDataType());
        assertEquals(5L, single(choice, 5));
        assertEquals("five", single(choice, "five"));
        assertArrayEquals(new byte[]{9}, (byte[]) single(choice, new Byte[]{9}));
        assertEquals(Instant.parse("2024-01-01T00:00:00Z"), single(choice, Timestamp.from(Instant.parse("2024-01-01T00:00:00Z"))));
    }

    @Test
    void nullsAreKeptForEveryField() {
        final RecordSchema schema = schema(field("a", RecordFieldType.STRING.getDataType()), field("b", RecordFieldType.RECORD.getRecordDataType(POINT)),
                field("c", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.INT.getDataType())));

        final Map<String, Object> plain = RecordValues.toPlain(new MapRecord(schema, new LinkedHashMap<>()));

        assertEquals(List.of("a", "b", "c"), new ArrayList<>(plain.keySet()));
        plain.values().forEach(v -> assertNull(v));
        assertNull(RecordValues.plainValue(null, RecordFieldType.STRING.getDataType()));
    }

    @Test
    void unknownObjectsBecomeTheirText() {
        assertEquals("PT1M", RecordValues.plainValue(java.time.Duration.ofMinutes(1), null));
        assertEquals("PT1M", single(RecordFieldType.STRING.getDataType(), java.time.Duration.ofMinutes(1)));
    }

    private static Object single(final DataType type, final Object value) {
        final Map<String, Object> values = new LinkedHashMap<>();
        values.put("v", value);
        final Object viaRecord = plainOf(List.of(field("v", type)), values).get("v");
        // the single-value entry point must agree with the record one
        final Object direct = RecordValues.plainValue(value, type);
        if (viaRecord instanceof byte[] bytes) {
            assertArrayEquals(bytes, (byte[]) direct);
        } else {
            assertEquals(viaRecord, direct);
        }
        return viaRecord;
    }

    private static Map<String, Object> plainOf(final List<RecordField> fields, final Map<String, Object> values) {
        return RecordValues.toPlain(new MapRecord(new SimpleRecordSchema(fields), values));
    }

    static RecordField field(final String name, final DataType type) {
        return new RecordField(name, type, true);
    }

    static RecordSchema schema(final RecordField... fields) {
        return new SimpleRecordSchema(List.of(fields));
    }

    static Map<String, Object> values(final Object... keysAndValues) {
        final Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
