package dev.restrictedpython.nifi.records;

import org.junit.jupiter.api.extension.ExtendWith;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriter;
import org.apache.nifi.serialization.RecordSetWriterFactory;
import org.apache.nifi.serialization.record.Record;
import org.apache.nifi.serialization.record.RecordFieldType;
import org.apache.nifi.serialization.record.RecordSchema;
import org.apache.nifi.util.NoOpProcessor;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.field;
import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.schema;
import static dev.restrictedpython.nifi.records.RecordValuesToPlainTest.values;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Writes records made by {@link RecordValues#toRecord} through NiFi's real JSON and CSV writers, to show
 * that the Java types chosen for DATE, TIME, TIMESTAMP and DECIMAL are formatted as configured.
 */
@ExtendWith(UtcTimeZone.class)
class RecordWritersFormatTest {

    private static final RecordSchema POINT = schema(field("x", RecordFieldType.INT.getDataType()), field("y", RecordFieldType.INT.getDataType()));

    private static final RecordSchema SCHEMA = schema(
            field("day", RecordFieldType.DATE.getDataType()),
            field("t", RecordFieldType.TIME.getDataType()),
            field("ts", RecordFieldType.TIMESTAMP.getDataType()),
            field("amount", RecordFieldType.DECIMAL.getDecimalDataType(38, 18)),
            field("small", RecordFieldType.DECIMAL.getDecimalDataType(10, 7)),
            field("at", RecordFieldType.RECORD.getRecordDataType(POINT)),
            field("tags", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.LONG.getDataType())),
            field("raw", RecordFieldType.ARRAY.getArrayDataType(RecordFieldType.BYTE.getDataType())));

    private static final Map<String, Object> ITEM = values(
            "day", LocalDate.of(2024, 2, 29),
            "t", LocalTime.of(12, 34, 56, 123_456_000),
            "ts", Instant.parse("2024-03-01T12:00:45.123456Z"),
            "amount", new BigDecimal("12345678901234567890.123456789012345678"),
            "small", new BigDecimal("0.0000001"),
            "at", values("x", 1L, "y", 2L),
            "tags", List.of(1L, 2L, 3L),
            "raw", new byte[]{1, -2});

    private static final Map<String, String> FORMATS = Map.of(
            // none of these is what toString() of a java.time value gives, so a wrongly typed value would show
            "Date Format", "dd.MM.yyyy",
            "Time Format", "HH:mm:ss.SSS",
            "Timestamp Format", "yyyy-MM-dd HH:mm:ss.SSSSSS XXX");

    private static final String JSON_TAIL =
            "\"amount\":12345678901234567890.123456789012345678,\"small\":0.0000001,\"at\":{\"x\":1,\"y\":2},\"tags\":[1,2,3],\"raw\":[1,-2]}]";

    private static final String CSV_HEADER = "day,t,ts,amount,small,at,tags,raw\n";

    private static final String CSV_TAIL = "12345678901234567890.123456789012345678,1E-7,\"MapRecord[{x=1, y=2}]\",\"[1, 2, 3]\",\"[1, -2]\"\n";

    @Test
    void jsonWriterFormatsEveryType() throws Exception {
        final String json = write(new JsonRecordSetWriter(), FORMATS, RecordValues.toRecord(ITEM, SCHEMA, 0));

        assertEquals("[{\"day\":\"29.02.2024\",\"t\":\"12:34:56.123\",\"ts\":\"2024-03-01 12:00:45.123456 Z\"," + JSON_TAIL, json);
    }

    @Test
    void csvWriterFormatsEveryType() throws Exception {
        final String csv = write(new CSVRecordSetWriter(), FORMATS, RecordValues.toRecord(ITEM, SCHEMA, 0));

        // The CSV writer prints BigDecimal.toString() (1E-7), and records and arrays by their toString()
        assertEquals(CSV_HEADER + "29.02.2024,12:34:56.123,2024-03-01 12:00:45.123456 Z," + CSV_TAIL, csv);
    }

    @Test
    void timestampsAreWrittenInTheJvmZoneAsTheSameInstant() throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        final Record record = RecordValues.toRecord(ITEM, SCHEMA, 0);

        final String json = write(new JsonRecordSetWriter(), FORMATS, record);
        final String csv = write(new CSVRecordSetWriter(), FORMATS, record);

        // the date and the time of day stay as given; the instant is shown in the JVM's zone (+05:30)
        assertEquals("[{\"day\":\"29.02.2024\",\"t\":\"12:34:56.123\",\"ts\":\"2024-03-01 17:30:45.123456 +05:30\","
                + JSON_TAIL, json);
        assertEquals(CSV_HEADER + "29.02.2024,12:34:56.123,2024-03-01 17:30:45.123456 +05:30," + CSV_TAIL, csv);
    }

    @Test
    void withoutFormatsNifiWritesEpochMilliseconds() throws Exception {
        final Record record = RecordValues.toRecord(ITEM, SCHEMA, 0);

        final String json = write(new JsonRecordSetWriter(), Map.of(), record);
        final String csv = write(new CSVRecordSetWriter(), Map.of(), record);

        // DATE is the epoch millis of local midnight, TIME of the time on 1970-01-01; sub-millisecond digits are gone
        assertEquals("[{\"day\":1709164800000,\"t\":45296123,\"ts\":1709294445123," + JSON_TAIL, json);
        assertEquals(CSV_HEADER + "1709164800000,45296123,1709294445123," + CSV_TAIL, csv);
    }

    private static String write(final ControllerService writer, final Map<String, String> properties, final Record record) throws Exception {
        final TestRunner runner = TestRunners.newTestRunner(NoOpProcessor.class);
        runner.addControllerService("writer", writer);
        properties.forEach((name, value) -> runner.setProperty(writer, name, value));
        runner.enableControllerService(writer);

        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (RecordSetWriter recordWriter = ((RecordSetWriterFactory) writer).createWriter(runner.getLogger(), SCHEMA, out, Map.of())) {
            recordWriter.beginRecordSet();
            recordWriter.write(record);
            recordWriter.finishRecordSet();
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
