package dev.restrictedpython.nifi.processor;

import dev.restrictedpython.nifi.records.UtcTimeZone;
import org.junit.jupiter.api.extension.ExtendWith;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.controller.ControllerService;
import org.apache.nifi.csv.CSVReader;
import org.apache.nifi.csv.CSVRecordSetWriter;
import org.apache.nifi.csv.CSVUtils;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.schema.access.SchemaAccessUtils;
import org.apache.nifi.serialization.DateTimeUtils;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;

import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.compact;
import static dev.restrictedpython.nifi.processor.ProcessorTestSupport.content;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DESIGN §2 ("Records ↔ Python"), row by row, both ways, through the real processor and NiFi's real JSON and CSV
 * record services configured with explicit Avro schemas: what type and value the statement sees for each NiFi field
 * type, and what each Python type becomes in a writer with a schema of its own or in one that inherits the schema.
 */
@ExtendWith(UtcTimeZone.class)
class TypeMappingProcessorTest {

    /** A reader schema with one field per row of the DESIGN §2 table (CHAR has no Avro spelling: ENUM stands in). */
    static final String ALL_TYPES_SCHEMA = """
            {"type": "record", "name": "AllTypes", "fields": [
              {"name": "s", "type": "string"},
              {"name": "e", "type": {"type": "enum", "name": "Color", "symbols": ["RED", "GREEN"]}},
              {"name": "u", "type": {"type": "string", "logicalType": "uuid"}},
              {"name": "b", "type": "boolean"},
              {"name": "i", "type": "int"},
              {"name": "l", "type": "long"},
              {"name": "f", "type": "float"},
              {"name": "d", "type": "double"},
              {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 30, "scale": 9}},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}},
              {"name": "day", "type": {"type": "int", "logicalType": "date"}},
              {"name": "t", "type": {"type": "int", "logicalType": "time-millis"}},
              {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
              {"name": "t_us", "type": {"type": "long", "logicalType": "time-micros"}},
              {"name": "ts_us", "type": {"type": "long", "logicalType": "timestamp-micros"}},
              {"name": "nested", "type": {"type": "record", "name": "Address", "fields": [
                {"name": "city", "type": "string"},
                {"name": "zip", "type": "int"},
                {"name": "geo", "type": {"type": "record", "name": "Geo", "fields": [{"name": "lat", "type": "double"}]}}
              ]}},
              {"name": "ints", "type": {"type": "array", "items": "int"}},
              {"name": "people", "type": {"type": "array", "items": {"type": "record", "name": "Person", "fields": [
                {"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}}},
              {"name": "raw", "type": "bytes"},
              {"name": "m", "type": {"type": "map", "values": "long"}},
              {"name": "choice", "type": ["int", "string"]},
              {"name": "maybe", "type": ["null", "string"]}
            ]}""";

    static final String ALL_TYPES_INPUT = """
            [{"s": "héllo", "e": "GREEN", "u": "0f8fad5b-d9cb-469f-a165-70867728950e", "b": true, "i": 42,
              "l": 9007199254740993, "f": 0.1, "d": 2.25, "dec": "12345678901234567890.123456789", "price": 19.99,
              "day": "2024-02-29", "t": "12:34:56.789", "ts": "2024-03-01T14:00:45.123+02:00",
              "t_us": "23:59:59.999", "ts_us": "2024-12-31T23:59:59.999-05:00",
              "nested": {"city": "Paris", "zip": 75001, "geo": {"lat": 48.85}}, "ints": [1, 2, 3],
              "people": [{"name": "Ann", "age": 30}, {"name": "Bo", "age": 4}], "raw": [104, 105, -1],
              "m": {"x": 1, "y": 2}, "choice": 5, "maybe": null},
             {"s": "", "e": "RED", "u": "00000000-0000-0000-0000-000000000000", "b": false, "i": -1,
              "l": -9223372036854775808, "f": -1.5, "d": 1e300, "dec": "-0.000000001", "price": 0,
              "day": "1969-12-31", "t": "00:00:00.000", "ts": "1969-12-31T23:59:59.999Z",
              "t_us": "00:00:00.001", "ts_us": "1970-01-01T00:00:00.000Z",
              "nested": {"city": "", "zip": 0, "geo": {"lat": -0.5}}, "ints": [],
              "people": [], "raw": [], "m": {}, "choice": "five", "maybe": "here"}]""";

    /** One output item per field: its name, Python type name and repr(), then some checks on values. */
    static final String DESCRIBE_FIELDS = """
            row = INPUT_DATA[0]
            out = [{"name": k, "type": type(v).__name__, "repr": repr(v)} for k, v in row.items()]
            ts = row["ts"]
            checks = {
                "ts is aware UTC": ts.tzinfo is not None and ts.utcoffset().total_seconds() == 0,
                "every datetime is aware UTC": all(v.tzinfo is not None and v.utcoffset().total_seconds() == 0
                                                   for v in row.values() if type(v).__name__ == "datetime"),
                "str(dec)": str(row["dec"]),
                "ts.isoformat()": ts.isoformat(),
                "day.isoformat()": row["day"].isoformat(),
                "t.isoformat()": row["t"].isoformat(),
                "nested city": row["nested"]["city"],
                "nested lat": row["nested"]["geo"]["lat"],
                "ints sum": sum(row["ints"]),
                "people ages": [p["age"] for p in row["people"]],
                "raw as list": list(row["raw"]),
                "m keys": sorted(row["m"].keys()),
                "dec exponent": row["dec"].as_tuple().exponent,
                "f == 0.1": row["f"] == 0.1,
                "l + 1": row["l"] + 1,
            }
            for k, v in checks.items():
                out.append({"name": "check: " + k, "type": type(v).__name__, "repr": repr(v)})
            return out
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------------------------------ NiFi → Python

    /** The JVM's zone must not move a date, a time of day or an instant on its way into Python. */
    @ParameterizedTest
    @ValueSource(strings = {"UTC", "Asia/Kolkata", "America/Los_Angeles", "Pacific/Kiritimati"})
    void everyFieldTypeReachesPythonAsTheDesignedType(String zone) throws Exception {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        TestRunner runner = runner(DESCRIBE_FIELDS);
        useReader(runner, jsonReader(runner, ALL_TYPES_SCHEMA, Map.of(
                DateTimeUtils.DATE_FORMAT, "yyyy-MM-dd",
                DateTimeUtils.TIME_FORMAT, "HH:mm:ss.SSS",
                DateTimeUtils.TIMESTAMP_FORMAT, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")));
        useWriter(runner, jsonWriter(runner, null, Map.of()));
        runner.enqueue(ALL_TYPES_INPUT);
        runner.run();

        List<Map<String, Object>> described = successRecords(runner);
        Map<String, String> first = new LinkedHashMap<>();
        Map<String, String> second = new LinkedHashMap<>();
        int fieldsAndChecks = described.size() / 2;
        for (int i = 0; i < described.size(); i++) {
            Map<String, Object> item = described.get(i);
            (i < fieldsAndChecks ? first : second).put((String) item.get("name"), item.get("type") + " " + item.get("repr"));
        }

        Map<String, String> expectedFirst = new LinkedHashMap<>();
        expectedFirst.put("s", "str 'héllo'");
        expectedFirst.put("e", "str 'GREEN'");
        expectedFirst.put("u", "str '0f8fad5b-d9cb-469f-a165-70867728950e'");
        expectedFirst.put("b", "bool True");
        expectedFirst.put("i", "int 42");
        expectedFirst.put("l", "int 9007199254740993");
        expectedFirst.put("f", "float 0.1");
        expectedFirst.put("d", "float 2.25");
        expectedFirst.put("dec", "Decimal Decimal('12345678901234567890.123456789')");
        expectedFirst.put("price", "Decimal Decimal('19.99')");
        expectedFirst.put("day", "date datetime.date(2024, 2, 29)");
        expectedFirst.put("t", "time datetime.time(12, 34, 56, 789000)");
        expectedFirst.put("ts", "datetime datetime.datetime(2024, 3, 1, 12, 0, 45, 123000, tzinfo=datetime.timezone.utc)");
        expectedFirst.put("t_us", "time datetime.time(23, 59, 59, 999000)");
        expectedFirst.put("ts_us", "datetime datetime.datetime(2025, 1, 1, 4, 59, 59, 999000, tzinfo=datetime.timezone.utc)");
        expectedFirst.put("nested", "dict {'city': 'Paris', 'zip': 75001, 'geo': {'lat': 48.85}}");
        expectedFirst.put("ints", "list [1, 2, 3]");
        expectedFirst.put("people", "list [{'name': 'Ann', 'age': 30}, {'name': 'Bo', 'age': 4}]");
        expectedFirst.put("raw", "bytes b'hi\\xff'");
        expectedFirst.put("m", "dict {'x': 1, 'y': 2}");
        expectedFirst.put("choice", "int 5");
        expectedFirst.put("maybe", "NoneType None");
        expectedFirst.put("check: ts is aware UTC", "bool True");
        expectedFirst.put("check: every datetime is aware UTC", "bool True");
        expectedFirst.put("check: str(dec)", "str '12345678901234567890.123456789'");
        expectedFirst.put("check: ts.isoformat()", "str '2024-03-01T12:00:45.123000+00:00'");
        expectedFirst.put("check: day.isoformat()", "str '2024-02-29'");
        expectedFirst.put("check: t.isoformat()", "str '12:34:56.789000'");
        expectedFirst.put("check: nested city", "str 'Paris'");
        expectedFirst.put("check: nested lat", "float 48.85");
        expectedFirst.put("check: ints sum", "int 6");
        expectedFirst.put("check: people ages", "list [30, 4]");
        expectedFirst.put("check: raw as list", "list [104, 105, 255]");
        expectedFirst.put("check: m keys", "list ['x', 'y']");
        expectedFirst.put("check: dec exponent", "int -9");
        expectedFirst.put("check: f == 0.1", "bool True");
        expectedFirst.put("check: l + 1", "int 9007199254740994");
        assertEntries(expectedFirst, first, "record 0 in zone " + zone);

        Map<String, String> expectedSecond = new LinkedHashMap<>();
        expectedSecond.put("s", "str ''");
        expectedSecond.put("e", "str 'RED'");
        expectedSecond.put("u", "str '00000000-0000-0000-0000-000000000000'");
        expectedSecond.put("b", "bool False");
        expectedSecond.put("i", "int -1");
        expectedSecond.put("l", "int -9223372036854775808");
        expectedSecond.put("f", "float -1.5");
        expectedSecond.put("d", "float 1e+300");
        expectedSecond.put("dec", "Decimal Decimal('-1E-9')");
        expectedSecond.put("price", "Decimal Decimal('0')");
        expectedSecond.put("day", "date datetime.date(1969, 12, 31)");
        expectedSecond.put("t", "time datetime.time(0, 0)");
        expectedSecond.put("ts", "datetime datetime.datetime(1969, 12, 31, 23, 59, 59, 999000, tzinfo=datetime.timezone.utc)");
        expectedSecond.put("t_us", "time datetime.time(0, 0, 0, 1000)");
        expectedSecond.put("ts_us", "datetime datetime.datetime(1970, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)");
        expectedSecond.put("nested", "dict {'city': '', 'zip': 0, 'geo': {'lat': -0.5}}");
        expectedSecond.put("ints", "list []");
        expectedSecond.put("people", "list []");
        expectedSecond.put("raw", "bytes b''");
        expectedSecond.put("m", "dict {}");
        expectedSecond.put("choice", "str 'five'");
        expectedSecond.put("maybe", "str 'here'");
        expectedSecond.put("check: ts is aware UTC", "bool True");
        expectedSecond.put("check: every datetime is aware UTC", "bool True");
        expectedSecond.put("check: str(dec)", "str '-1E-9'");
        expectedSecond.put("check: ts.isoformat()", "str '1969-12-31T23:59:59.999000+00:00'");
        expectedSecond.put("check: day.isoformat()", "str '1969-12-31'");
        expectedSecond.put("check: t.isoformat()", "str '00:00:00'");
        expectedSecond.put("check: nested city", "str ''");
        expectedSecond.put("check: nested lat", "float -0.5");
        expectedSecond.put("check: ints sum", "int 0");
        expectedSecond.put("check: people ages", "list []");
        expectedSecond.put("check: raw as list", "list []");
        expectedSecond.put("check: m keys", "list []");
        expectedSecond.put("check: dec exponent", "int -9");
        expectedSecond.put("check: f == 0.1", "bool False");
        expectedSecond.put("check: l + 1", "int -9223372036854775807");
        assertEntries(expectedSecond, second, "record 1 in zone " + zone);
    }

    /** The CSV reader converts the same text columns into the same Python types. */
    @Test
    void csvColumnsReachPythonAsTheDesignedTypes() throws Exception {
        TestRunner runner = runner("""
                row = INPUT_DATA[0]
                return [{k: type(v).__name__ + " " + repr(v) for k, v in row.items()}]
                """);
        useReader(runner, csvReader(runner, """
                {"type": "record", "name": "Row", "fields": [
                  {"name": "s", "type": "string"}, {"name": "b", "type": "boolean"}, {"name": "i", "type": "int"},
                  {"name": "l", "type": "long"}, {"name": "d", "type": "double"},
                  {"name": "dec", "type": {"type": "bytes", "logicalType": "decimal", "precision": 30, "scale": 9}},
                  {"name": "day", "type": {"type": "int", "logicalType": "date"}},
                  {"name": "t", "type": {"type": "int", "logicalType": "time-millis"}},
                  {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "maybe", "type": ["null", "int"]}
                ]}""", Map.of(
                CSVUtils.FIRST_LINE_IS_HEADER, "true",
                DateTimeUtils.DATE_FORMAT, "yyyy-MM-dd",
                DateTimeUtils.TIME_FORMAT, "HH:mm:ss.SSS",
                DateTimeUtils.TIMESTAMP_FORMAT, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX")));
        useWriter(runner, jsonWriter(runner, null, Map.of()));
        runner.enqueue("s,b,i,l,d,dec,day,t,ts,maybe\n"
                + "hello,true,42,9007199254740993,2.25,12345678901234567890.123456789,2024-02-29,12:34:56.789,"
                + "2024-03-01T14:00:45.123+02:00,\n");
        runner.run();

        Map<String, Object> seen = successRecords(runner).getFirst();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("s", "str 'hello'");
        expected.put("b", "bool True");
        expected.put("i", "int 42");
        expected.put("l", "int 9007199254740993");
        expected.put("d", "float 2.25");
        expected.put("dec", "Decimal Decimal('12345678901234567890.123456789')");
        expected.put("day", "date datetime.date(2024, 2, 29)");
        expected.put("t", "time datetime.time(12, 34, 56, 789000)");
        expected.put("ts", "datetime datetime.datetime(2024, 3, 1, 12, 0, 45, 123000, tzinfo=datetime.timezone.utc)");
        expected.put("maybe", "NoneType None");
        assertEntries(expected, stringValues(seen), "CSV row");
    }

    // ------------------------------------------------------------------------------------------ Python → NiFi

    /** A one-record input whose reader schema has a DECIMAL: the dialect has no `decimal` import, so the
     *  statement takes the Decimal type from its input, as a user would. */
    private static final String DECIMAL_SOURCE_SCHEMA = """
            {"type": "record", "name": "In", "fields": [
              {"name": "id", "type": "int"},
              {"name": "price", "type": {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}}
            ]}""";

    private static final String EVERY_PYTHON_TYPE = """
            import datetime
            Decimal = type(INPUT_DATA[0]["price"])
            plus2 = datetime.timezone(datetime.timedelta(hours=2))
            return [{
                "i": 7,
                "i_to_double": 3,
                "f": 2.5,
                "dec": Decimal("12345678901234567890.123456789"),
                "dec_from_int": 7,
                "dec_from_float": 0.1,
                "big": 2 ** 70,
                "day": datetime.date(2024, 2, 29),
                "day_iso": "2024-02-29",
                "t": datetime.time(12, 34, 56, 789000),
                "t_iso": "23:59:58",
                "ts_aware": datetime.datetime(2024, 3, 1, 14, 0, 45, 123000, tzinfo=plus2),
                "ts_naive": datetime.datetime(2024, 3, 1, 12, 0, 45, 123000),
                "ts_iso": "2024-03-01T14:00:45.123+02:00",
                "ts_from_date": datetime.date(2024, 3, 1),
                "flag": True,
                "nested": {"city": "Paris", "zip": 75001, "unknown": "ignored too"},
                "ints": [1, 2, 3],
                "ints_from_tuple": (4, 5),
                "raw": b"hi\\xff",
                "m": {"a": 1, "b": 2},
                "nothing": None,
                "extra": "ignored",
            }]
            """;

    private static final String EVERY_TYPE_OUT_SCHEMA = """
            {"type": "record", "name": "Out", "fields": [
              {"name": "i", "type": ["null", "long"]},
              {"name": "i_to_double", "type": ["null", "double"]},
              {"name": "f", "type": ["null", "double"]},
              {"name": "dec", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 9}]},
              {"name": "dec_from_int", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}]},
              {"name": "dec_from_float", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}]},
              {"name": "big", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 38, "scale": 0}]},
              {"name": "day", "type": ["null", {"type": "int", "logicalType": "date"}]},
              {"name": "day_iso", "type": ["null", {"type": "int", "logicalType": "date"}]},
              {"name": "t", "type": ["null", {"type": "int", "logicalType": "time-millis"}]},
              {"name": "t_iso", "type": ["null", {"type": "int", "logicalType": "time-millis"}]},
              {"name": "ts_aware", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
              {"name": "ts_naive", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
              {"name": "ts_iso", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
              {"name": "ts_from_date", "type": ["null", {"type": "long", "logicalType": "timestamp-millis"}]},
              {"name": "flag", "type": ["null", "boolean"]},
              {"name": "nested", "type": ["null", {"type": "record", "name": "Addr", "fields": [
                {"name": "city", "type": "string"}, {"name": "zip", "type": "int"}]}]},
              {"name": "ints", "type": ["null", {"type": "array", "items": "long"}]},
              {"name": "ints_from_tuple", "type": ["null", {"type": "array", "items": "long"}]},
              {"name": "raw", "type": ["null", "bytes"]},
              {"name": "m", "type": ["null", {"type": "map", "values": "long"}]},
              {"name": "nothing", "type": ["null", "string"]},
              {"name": "missing", "type": ["null", "string"]}
            ]}""";

    private static final Map<PropertyDescriptor, String> OUT_FORMATS = Map.of(
            DateTimeUtils.DATE_FORMAT, "yyyy-MM-dd",
            DateTimeUtils.TIME_FORMAT, "HH:mm:ss.SSS",
            DateTimeUtils.TIMESTAMP_FORMAT, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    @Test
    void writerWithASchemaCoercesEveryPythonType() throws Exception {
        TestRunner runner = runner(EVERY_PYTHON_TYPE);
        useReader(runner, jsonReader(runner, DECIMAL_SOURCE_SCHEMA, Map.of()));
        useWriter(runner, jsonWriter(runner, EVERY_TYPE_OUT_SCHEMA, OUT_FORMATS));
        runner.enqueue("[{\"id\": 1, \"price\": \"1.50\"}]");
        runner.run();

        MockFlowFile out = onlySuccess(runner);
        assertEquals("[{\"i\":7,\"i_to_double\":3.0,\"f\":2.5,\"dec\":12345678901234567890.123456789,"
                + "\"dec_from_int\":7,\"dec_from_float\":0.1,\"big\":1180591620717411303424,"
                + "\"day\":\"2024-02-29\",\"day_iso\":\"2024-02-29\",\"t\":\"12:34:56.789\",\"t_iso\":\"23:59:58.000\","
                + "\"ts_aware\":\"2024-03-01T12:00:45.123Z\",\"ts_naive\":\"2024-03-01T12:00:45.123Z\","
                + "\"ts_iso\":\"2024-03-01T12:00:45.123Z\",\"ts_from_date\":\"2024-03-01T00:00:00.000Z\",\"flag\":true,"
                + "\"nested\":{\"city\":\"Paris\",\"zip\":75001},\"ints\":[1,2,3],\"ints_from_tuple\":[4,5],"
                + "\"raw\":[104,105,-1],\"m\":{\"a\":1,\"b\":2},\"nothing\":null,\"missing\":null}]",
                compact(content(out)));
        out.assertAttributeEquals("record.count", "1");
        out.assertAttributeEquals("mime.type", "application/json");
    }

    /** With the writer inheriting the schema, the schema comes from every item: later items widen it (in bulk
     *  mode read from the run's output a first time, field by field; row by row from the items kept). */
    @ParameterizedTest
    @EnumSource(ProcessingMode.class)
    void inheritingWriterInfersTheSchemaFromAllItems(ProcessingMode mode) throws Exception {
        TestRunner runner = runner("""
                import datetime
                Decimal = type(INPUT_DATA[0]["price"])
                plus2 = datetime.timezone(datetime.timedelta(hours=2))
                return [
                    {"id": 1, "n": 1, "f": 1.5, "dec": Decimal("1.25"), "day": datetime.date(2024, 2, 29),
                     "t": datetime.time(12, 34, 56, 789000),
                     "ts": datetime.datetime(2024, 3, 1, 14, 0, 45, 123000, tzinfo=plus2),
                     "naive": datetime.datetime(2024, 3, 1, 12, 0, 45, 123000),
                     "d": {"a": 1}, "l": [1, 2], "tup": (1, 2), "raw": b"hi", "none": None, "flag": True,
                     "big": 2 ** 70, "s": "text"},
                    {"id": 2, "n": 2.5, "f": 3, "dec": 3, "day": None, "t": None, "ts": None, "naive": None,
                     "d": {"a": 2, "b": "new"}, "l": [3.5], "tup": (), "raw": b"", "none": None, "flag": False,
                     "big": 5, "s": "more", "only2": "late"},
                ]
                """);
        runner.setProperty(ExecuteRestrictedPython.PROCESSING_MODE, mode.getValue());
        useReader(runner, jsonReader(runner, DECIMAL_SOURCE_SCHEMA, Map.of()));
        useWriter(runner, jsonWriter(runner, null, OUT_FORMATS));
        runner.enqueue("[{\"id\": 1, \"price\": \"1.50\"}]");
        runner.run();

        MockFlowFile out = onlySuccess(runner);
        assertEquals("[{\"id\":1,\"n\":1.0,\"f\":1.5,\"dec\":1.25,\"day\":\"2024-02-29\",\"t\":\"12:34:56.789\","
                + "\"ts\":\"2024-03-01T12:00:45.123Z\",\"naive\":\"2024-03-01T12:00:45.123Z\",\"d\":{\"a\":1,\"b\":null},"
                + "\"l\":[1.0,2.0],\"tup\":[1,2],\"raw\":[104,105],\"none\":null,\"flag\":true,"
                + "\"big\":1180591620717411303424,\"s\":\"text\",\"only2\":null},"
                + "{\"id\":2,\"n\":2.5,\"f\":3.0,\"dec\":3,\"day\":null,\"t\":null,\"ts\":null,\"naive\":null,"
                + "\"d\":{\"a\":2,\"b\":\"new\"},\"l\":[3.5],\"tup\":[],\"raw\":[],\"none\":null,\"flag\":false,"
                + "\"big\":5,\"s\":\"more\",\"only2\":\"late\"}]",
                compact(content(out)));
        out.assertAttributeEquals("record.count", "2");
    }

    /** The CSV writer prints the same values as text, with the configured formats. */
    @Test
    void inheritingCsvWriterPrintsScalarsWithTheFormats() throws Exception {
        TestRunner runner = runner("""
                import datetime
                Decimal = type(INPUT_DATA[0]["price"])
                return [
                    {"n": 1, "f": 0.1, "dec": Decimal("12345678901234567890.123456789"), "big": 2 ** 70,
                     "day": datetime.date(2024, 2, 29), "t": datetime.time(12, 34, 56, 789000),
                     "ts": datetime.datetime(2024, 3, 1, 12, 0, 45, 123000, tzinfo=datetime.timezone.utc),
                     "flag": True, "none": None, "s": "a,b"},
                    {"n": 2.5, "f": 2, "dec": 1, "big": -1, "day": None, "t": None, "ts": None, "flag": False,
                     "none": None, "s": ""},
                ]
                """);
        useReader(runner, jsonReader(runner, DECIMAL_SOURCE_SCHEMA, Map.of()));
        useWriter(runner, csvWriter(runner, null, OUT_FORMATS));
        runner.enqueue("[{\"id\": 1, \"price\": \"1.50\"}]");
        runner.run();

        MockFlowFile out = onlySuccess(runner);
        assertEquals("n,f,dec,big,day,t,ts,flag,none,s\n"
                + "1.0,0.1,12345678901234567890.123456789,1180591620717411303424,2024-02-29,12:34:56.789,"
                + "2024-03-01T12:00:45.123Z,true,,\"a,b\"\n"
                // CSV has no null: None and the empty string both print as nothing
                + "2.5,2.0,1,-1,,,,false,,\n", content(out));
        out.assertAttributeEquals("mime.type", "text/csv");
    }

    // ------------------------------------------------------------------------------------------ conversion failures

    private static final String DECIMAL_OUT_SCHEMA = """
            {"type": "record", "name": "Out", "fields": [
              {"name": "id", "type": "long"},
              {"name": "dec", "type": ["null", {"type": "bytes", "logicalType": "decimal", "precision": 10, "scale": 2}]}
            ]}""";

    @Test
    void aValueTheWriterSchemaCannotHoldSendsTheInputToFailureUnchanged() throws Exception {
        TestRunner runner = runner("""
                row = INPUT_DATA[0]
                return [{"id": row["id"], "dec": "abc" if row["id"] == 3 else row["id"]}]
                """);
        useReader(runner, jsonReader(runner, null, Map.of()));
        useWriter(runner, jsonWriter(runner, DECIMAL_OUT_SCHEMA, Map.of()));
        String input = "[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}, {\"id\": 4}]";
        runner.enqueue(input, Map.of("origin", "test"));
        runner.run();

        MockFlowFile failed = onlyFailure(runner);
        failed.assertContentEquals(input);
        failed.assertAttributeEquals("origin", "test");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "TypeError");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE,
                "item 2, field 'dec': cannot convert str 'abc' to DECIMAL");
    }

    @Test
    void aSetCannotBeWrittenToAnyField() throws Exception {
        TestRunner runner = runner("return [{\"id\": 1, \"tags\": {\"a\"}}]");
        useReader(runner, jsonReader(runner, null, Map.of()));
        useWriter(runner, jsonWriter(runner, null, Map.of()));
        String input = "[{\"id\": 1}]";
        runner.enqueue(input);
        runner.run();

        MockFlowFile failed = onlyFailure(runner);
        failed.assertContentEquals(input);
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_TYPE_ATTRIBUTE, "TypeError");
        failed.assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE,
                "item 0, field 'tags' is set, which cannot be written to a record");
    }

    /**
     * Row by row hands records to Python in batches of {@link FlowFileRunner#ROW_BATCH}; the item index in a
     * conversion error counts from the start of the output FlowFile, whichever side (Python or the writer) refuses.
     */
    private static final int PAST_FIRST_BATCH = FlowFileRunner.ROW_BATCH + 38;

    private static String idRecords(int count) {
        StringBuilder input = new StringBuilder("[");
        for (int id = 0; id < count; id++) {
            input.append(id == 0 ? "" : ",").append("{\"id\":").append(id).append('}');
        }
        return input.append(']').toString();
    }

    @Test
    void aWriterRefusalPastTheFirstBatchNamesTheIndexInTheWholeOutput() throws Exception {
        TestRunner runner = runner("row = INPUT_DATA[0]\nreturn [{\"id\": row[\"id\"], \"dec\": \"abc\" if row[\"id\"] == "
                + PAST_FIRST_BATCH + " else 1}]");
        useReader(runner, jsonReader(runner, null, Map.of()));
        useWriter(runner, jsonWriter(runner, DECIMAL_OUT_SCHEMA, Map.of()));
        runner.enqueue(idRecords(FlowFileRunner.ROW_BATCH + 100));
        runner.run();
        onlyFailure(runner).assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE,
                "item " + PAST_FIRST_BATCH + ", field 'dec': cannot convert str 'abc' to DECIMAL");
    }

    /** Fails today: statement_host.run_rows numbers items from the start of each batch ("item 38"). */
    @Test
    void aPythonSideRefusalPastTheFirstBatchNamesTheIndexInTheWholeOutput() throws Exception {
        TestRunner runner = runner("row = INPUT_DATA[0]\nreturn [{\"id\": row[\"id\"], \"tags\": {1} if row[\"id\"] == "
                + PAST_FIRST_BATCH + " else [1]}]");
        useReader(runner, jsonReader(runner, null, Map.of()));
        useWriter(runner, jsonWriter(runner, null, Map.of()));
        runner.enqueue(idRecords(FlowFileRunner.ROW_BATCH + 100));
        runner.run();
        onlyFailure(runner).assertAttributeEquals(ExecuteRestrictedPython.ERROR_MESSAGE_ATTRIBUTE,
                "item " + PAST_FIRST_BATCH + ", field 'tags' is set, which cannot be written to a record");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private static TestRunner runner(String statement) {
        TestRunner runner = TestRunners.newTestRunner(ExecuteRestrictedPython.class);
        runner.setProperty(ExecuteRestrictedPython.STATEMENT, statement);
        return runner;
    }

    private static void useReader(TestRunner runner, ControllerService reader) {
        runner.setProperty(ExecuteRestrictedPython.RECORD_READER, reader.getIdentifier());
    }

    private static void useWriter(TestRunner runner, ControllerService writer) {
        runner.setProperty(ExecuteRestrictedPython.RECORD_WRITER, writer.getIdentifier());
    }

    /** A JsonTreeReader with an explicit Avro schema (or inferring, when null) and the given properties. */
    static JsonTreeReader jsonReader(TestRunner runner, String schema, Map<PropertyDescriptor, String> properties)
            throws InitializationException {
        JsonTreeReader reader = new JsonTreeReader();
        runner.addControllerService("reader", reader);
        configure(runner, reader, schema, properties);
        return reader;
    }

    /** A JsonRecordSetWriter with an explicit Avro schema, or inheriting the record schema when null. */
    static JsonRecordSetWriter jsonWriter(TestRunner runner, String schema, Map<PropertyDescriptor, String> properties)
            throws InitializationException {
        JsonRecordSetWriter writer = new JsonRecordSetWriter();
        runner.addControllerService("writer", writer);
        configure(runner, writer, schema, properties);
        return writer;
    }

    static CSVReader csvReader(TestRunner runner, String schema, Map<PropertyDescriptor, String> properties)
            throws InitializationException {
        CSVReader reader = new CSVReader();
        runner.addControllerService("reader", reader);
        configure(runner, reader, schema, properties);
        return reader;
    }

    static CSVRecordSetWriter csvWriter(TestRunner runner, String schema, Map<PropertyDescriptor, String> properties)
            throws InitializationException {
        CSVRecordSetWriter writer = new CSVRecordSetWriter();
        runner.addControllerService("writer", writer);
        configure(runner, writer, schema, properties);
        return writer;
    }

    private static void configure(TestRunner runner, ControllerService service, String schema,
                                  Map<PropertyDescriptor, String> properties) {
        if (schema != null) {
            runner.setProperty(service, SchemaAccessUtils.SCHEMA_ACCESS_STRATEGY,
                    SchemaAccessUtils.SCHEMA_TEXT_PROPERTY.getValue());
            runner.setProperty(service, SchemaAccessUtils.SCHEMA_TEXT, schema);
        }
        properties.forEach((descriptor, value) -> runner.setProperty(service, descriptor, value));
        runner.assertValid(service);
        runner.enableControllerService(service);
    }

    static MockFlowFile onlySuccess(TestRunner runner) {
        List<MockFlowFile> failed = runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE);
        assertTrue(failed.isEmpty(), () -> "unexpected failure: " + failed.getFirst().getAttributes());
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 1);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_ORIGINAL, 1);
        return runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_SUCCESS).getFirst();
    }

    static MockFlowFile onlyFailure(TestRunner runner) {
        runner.assertTransferCount(ExecuteRestrictedPython.REL_SUCCESS, 0);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_ORIGINAL, 0);
        runner.assertTransferCount(ExecuteRestrictedPython.REL_FAILURE, 1);
        assertEquals(0, runner.getQueueSize().getObjectCount(), "nothing left in the input queue");
        return runner.getFlowFilesForRelationship(ExecuteRestrictedPython.REL_FAILURE).getFirst();
    }

    static List<Map<String, Object>> successRecords(TestRunner runner) throws Exception {
        return JSON.readValue(content(onlySuccess(runner)), new TypeReference<>() { });
    }

    private static Map<String, String> stringValues(Map<String, Object> map) {
        Map<String, String> strings = new LinkedHashMap<>();
        map.forEach((key, value) -> strings.put(key, String.valueOf(value)));
        return strings;
    }

    /** Every entry as its own assertion, so a failure lists just the entries that differ. */
    static void assertEntries(Map<String, String> expected, Map<String, String> actual, String what) {
        List<Executable> checks = new ArrayList<>();
        checks.add(() -> assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()), what + ": names"));
        expected.forEach((key, value) -> checks.add(() -> assertEquals(value, actual.get(key), what + ", " + key)));
        assertAll(what, checks);
    }
}
