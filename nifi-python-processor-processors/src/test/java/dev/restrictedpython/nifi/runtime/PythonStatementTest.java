package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PythonStatementTest {

    private static final SandboxSettings SETTINGS = new SandboxSettings(false,
            new RunLimits(Duration.ofSeconds(2), 512L * 1024 * 1024));
    private static final RunInput NO_INPUT = new RunInput(null, Map.of(), Map.of());
    private static final List<PythonStatement> OPENED = new ArrayList<>();

    private static PythonStatement compile(String source) throws StatementException {
        PythonStatement statement = PythonStatement.compile(source, SETTINGS);
        OPENED.add(statement);
        return statement;
    }

    @AfterAll
    static void closeAll() {
        OPENED.forEach(PythonStatement::close);
    }

    @Test
    void roundTripKeepsValues() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("s", "text");
        record.put("i", 42L);
        record.put("whole", 2.0);
        record.put("dec", new BigDecimal("12345678901234567890.123456789"));
        record.put("d", LocalDate.of(2024, 2, 29));
        record.put("t", LocalTime.of(13, 14, 15, 123456000));
        record.put("ts", Instant.parse("2024-02-29T13:14:15.123456Z"));
        record.put("big", new java.math.BigInteger("123456789012345678901234567890"));
        PythonStatement statement = compile("return [INPUT_DATA[0]]");
        List<Map<String, Object>> out = statement.runBulk(List.of(record), NO_INPUT, (l, m, n) -> { });
        assertEquals(record, out.get(0));
        assertEquals(Double.class, out.get(0).get("whole").getClass());
    }

    /** Input and output cross in chunks of WireFormat.CHUNK_SLOTS slots: records on both sides of a boundary,
     *  and a record wider than a chunk, arrive whole and in order. */
    @Test
    void recordsCrossChunkBoundariesWhole() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 3 * WireFormat.CHUNK_SLOTS / 4 + 7; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("i", (long) i);
            record.put("name", "n" + i);
            record.put("skip", i % 3 == 0 ? null : 1.5);
            records.add(record);
        }
        Map<String, Object> wide = new LinkedHashMap<>();
        for (int f = 0; f < WireFormat.CHUNK_SLOTS + 5; f++) {
            wide.put("f" + f, (long) f);
        }
        records.add(records.size() / 2, wide);
        // a fresh context runs this interpreted at first: more than the 2 s the other tests allow
        PythonStatement statement = PythonStatement.compile("return [dict(r, n=len(r)) for r in INPUT_DATA]",
                new SandboxSettings(false, new RunLimits(Duration.ofSeconds(60), 1L << 30)));
        OPENED.add(statement);
        PythonStatement.BulkInput input = statement.newBulkInput();
        records.forEach(input::add);
        List<String> watched = new ArrayList<>();
        ReturnedItems returned = statement.runBulk(input, NO_INPUT, (l, m, n) -> { },
                (key, value) -> watched.add(key + "=" + value));
        List<Map<String, Object>> out = new ArrayList<>();
        returned.forEach(out::add);
        assertEquals(records.size(), returned.count());
        assertEquals(records.size(), out.size());
        // read again (schema inference, then writing): the same items, and field by field the same fields
        List<Map<String, Object>> again = new ArrayList<>();
        returned.forEach(again::add);
        assertEquals(out, again);
        List<String> fields = new ArrayList<>();
        returned.forEachField((key, value) -> fields.add(key + "=" + value));
        assertEquals(out.stream().flatMap(item -> item.entrySet().stream())
                .map(entry -> entry.getKey() + "=" + entry.getValue()).toList(), fields);
        // and as the run returned them (schema inference without a reading of its own)
        assertEquals(fields, watched);
        // the last reading lets go of what it read (a bulk FlowFile's output need not stay whole while written)
        List<Map<String, Object>> drained = new ArrayList<>();
        returned.drain(drained::add);
        assertEquals(out, drained);
        assertThrows(IllegalStateException.class, () -> returned.forEach(item -> { }));
        for (int i = 0; i < records.size(); i++) {
            Map<String, Object> expected = new LinkedHashMap<>(records.get(i));
            expected.put("n", (long) records.get(i).size());
            assertEquals(expected, out.get(i), "record " + i);
        }
        assertEquals(records, statement.runRows(records, NO_INPUT, false, (l, m, n) -> { }).stream()
                .peek(item -> item.remove("n")).toList());
    }

    /** The fields handed over while a bulk run's output crosses are those a reading of it gives, in order, items
     *  without fields and values that are lists or records included. */
    @Test
    void fieldsWatchedAsReturnedAreTheFieldsRead() throws Exception {
        PythonStatement statement = compile("""
                return [{} if r["i"] % 3 == 0 else {"i": r["i"], "l": [r["i"], "x"], "d": {"k": None}}
                        for r in INPUT_DATA]
                """);
        PythonStatement.BulkInput input = statement.newBulkInput();
        for (long i = 0; i < 10; i++) {
            input.add(Map.of("i", i));
        }
        List<String> watched = new ArrayList<>();
        ReturnedItems returned = statement.runBulk(input, NO_INPUT, (l, m, n) -> { },
                (key, value) -> watched.add(key + "=" + value));
        List<String> read = new ArrayList<>();
        returned.forEachField((key, value) -> read.add(key + "=" + value));
        assertEquals(6 * 3, read.size());
        assertEquals("i=1", read.get(0));
        assertEquals("l=[1, x]", read.get(1));
        assertEquals(read, watched);
    }

    /** Items cross as key and value pairs: whether shapes repeat or change (order, set, count), each item keeps
     *  its own keys in its own order (assertEquals on maps would not see the order). */
    @Test
    void itemsKeepTheirOwnKeysAndOrderWhenShapesRepeatAndChange() throws Exception {
        PythonStatement bulk = compile("""
                return [{"a": 1, "b": 2}, {"a": 3, "b": 4}, {"b": 5, "a": 6}, {"a": 7}, {"a": 8, "b": 9, "c": 10},
                        {"a": 11, "b": 12, "c": 13}, {"a": 14, "b": 15, "c": 16}, {}, {"a": None, "b": [1, {"x": 2}]}]
                """);
        List<Map<String, Object>> out = bulk.runBulk(List.of(), NO_INPUT, (l, m, n) -> { });
        assertEquals(List.of("a=1 b=2", "a=3 b=4", "b=5 a=6", "a=7", "a=8 b=9 c=10", "a=11 b=12 c=13",
                "a=14 b=15 c=16", "", "a=null b=[1, {x=2}]"), out.stream().map(PythonStatementTest::inOrder).toList());

        // row by row, one sink holds the items of every record of the batch
        PythonStatement rows = compile("""
                row = INPUT_DATA[0]
                if row["i"] % 3 == 2:
                    return [{"i": row["i"], "odd": True}, {"odd": False, "i": -row["i"]}]
                return [{"i": row["i"], "odd": row["i"] % 2 == 1}]
                """);
        List<Map<String, Object>> records = new ArrayList<>();
        for (long i = 0; i < 6; i++) {
            records.add(Map.of("i", i));
        }
        List<Map<String, Object>> itemsOut = rows.runRows(records, NO_INPUT, false, (l, m, n) -> { });
        assertEquals(List.of("i=0 odd=false", "i=1 odd=true", "i=2 odd=true", "odd=false i=-2", "i=3 odd=true",
                "i=4 odd=false", "i=5 odd=true", "odd=false i=-5"),
                itemsOut.stream().map(PythonStatementTest::inOrder).toList());
    }

    /** Records inside records (directly, in lists, in lists of lists) arrive as dicts with their own keys in their
     *  own order, at every depth (shaped down to WireFormat.MAX_SHAPED_DEPTH, as pairs below it), whether their
     *  shapes repeat, change, alternate between two fields or have more fields than a shape describes. */
    @Test
    void nestedRecordsArriveWholeAtEveryDepth() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("id", i);
            record.put("home", i % 2 == 0 ? nested("city", "Lyon" + i, "zip", i % 4 == 0 ? null : "690" + i)
                    : nested("zip", "100" + i, "city", "Graz"));
            record.put("work", nested("street", "Main " + i, "geo", nested("lat", 1.5 * i, "lon", -2.0)));
            record.put("lines", List.of(nested("sku", "a" + i, "qty", i), nested("sku", "b", "qty", null),
                    List.of(nested("inner", true))));
            Map<String, Object> wide = new LinkedHashMap<>();
            for (int f = 0; f < 30; f++) {
                wide.put("w" + f, f % 7 == 0 ? null : (Object) (i * f));
            }
            record.put("wide", wide);
            Map<String, Object> deep = nested("leaf", i);
            for (int level = 0; level < 11; level++) {
                deep = nested("level" + level, deep, "n", (long) level);
            }
            record.put("deep", deep);
            record.put("none", i % 5 == 0 ? null : nested("x", i));
            records.add(record);
        }
        PythonStatement echo = compile("return INPUT_DATA");
        List<Map<String, Object>> out = echo.runBulk(records, NO_INPUT, (l, m, n) -> { });
        assertEquals(records, out);
        assertEquals(records.stream().map(PythonStatementTest::deepOrder).toList(),
                out.stream().map(PythonStatementTest::deepOrder).toList());
        assertEquals(records, echo.runRows(records, NO_INPUT, false, (l, m, n) -> { }));

        PythonStatement seen = compile("""
                row = INPUT_DATA[0]
                deep, depth = row["deep"], 0
                while "leaf" not in deep:
                    assert type(deep) is dict and list(deep) == ["level%d" % (10 - depth), "n"], deep
                    deep, depth = deep["level%d" % (10 - depth)], depth + 1
                return [{"home": list(row["home"].items()), "geo": type(row["work"]["geo"]).__name__,
                         "lat": row["work"]["geo"]["lat"], "line": row["lines"][0]["sku"],
                         "inner": row["lines"][2][0]["inner"], "wide": len(row["wide"]), "depth": depth,
                         "leaf": deep["leaf"]}]
                """);
        List<Map<String, Object>> facts = seen.runRows(records.subList(0, 4), NO_INPUT, false, (l, m, n) -> { });
        assertEquals(List.of(List.of("city", "Lyon0"), Arrays.asList("zip", null)), facts.get(0).get("home"));
        assertEquals(List.of(List.of("zip", "1001"), List.of("city", "Graz")), facts.get(1).get("home"));
        assertEquals(List.of(List.of("city", "Lyon2"), List.of("zip", "6902")), facts.get(2).get("home"));
        assertEquals("dict", facts.get(3).get("geo"));
        assertEquals(4.5, facts.get(3).get("lat"));
        assertEquals("a3", facts.get(3).get("line"));
        assertEquals(true, facts.get(3).get("inner"));
        assertEquals(30L, facts.get(3).get("wide"));
        assertEquals(11L, facts.get(3).get("depth"));
        assertEquals(3L, facts.get(3).get("leaf"));
    }

    /** Past WireFormat.MAX_SHAPES null patterns, records fall back to generic shapes: one with a record inline
     *  is then written again with the record as an array, and still arrives whole; and learning the shapes stays
     *  within the default Memory Limit. */
    @Test
    void recordsBeyondTheShapeTableArriveWhole() throws Exception {
        List<Map<String, Object>> records = new ArrayList<>();
        for (long i = 0; i < WireFormat.MAX_SHAPES + 300; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int bit = 0; bit < 13; bit++) {
                record.put("f" + bit, (i & (1L << bit)) == 0 ? null : (Object) (i * bit));
            }
            record.put("inner", nested("x", i, "deeper", nested("y", "v" + i)));
            records.add(record);
        }
        // the processor's default Memory Limit; a fresh context runs interpreted at first, hence the timeout
        PythonStatement echo = PythonStatement.compile("return INPUT_DATA",
                new SandboxSettings(false, new RunLimits(Duration.ofSeconds(60), 1L << 30)));
        OPENED.add(echo);
        List<Map<String, Object>> out = echo.runBulk(records, NO_INPUT, (l, m, n) -> { });
        assertEquals(records, out);
        assertEquals(records.stream().map(PythonStatementTest::deepOrder).toList(),
                out.stream().map(PythonStatementTest::deepOrder).toList());
        assertEquals(records, echo.runRows(records, NO_INPUT, false, (l, m, n) -> { }));
    }

    /** Strings cross in their chunk's text and arrive as the same strings, code point by code point: empty, beyond
     *  Latin-1, beyond the BMP, a lone surrogate (also one that ends a string whose neighbour begins with the other
     *  half), strings long enough to close chunks by their text, in records inline, in lists and in records with
     *  more fields than a shape describes. */
    @Test
    void stringsArriveWholeWhereverTheyAre() throws Exception {
        String[] strings = {"", "plain", "é à ü", "中文字符", "😀 emoji 😀x", "lone \uD800 high",
                "ends high \uD83D", "\uDE00 begins low", "x".repeat(WireFormat.CHUNK_TEXT_CHARS / 3 + 1)};
        List<Map<String, Object>> records = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("s", strings[i % strings.length]);
            record.put("next", strings[(i + 1) % strings.length]);
            record.put("home", nested("city", strings[(i + 2) % strings.length], "zip", i % 4 == 0 ? null : "690"));
            record.put("lines", List.of(strings[(i + 3) % strings.length], nested("sku", strings[i % 5])));
            if (i % 10 == 0) {
                Map<String, Object> wide = new LinkedHashMap<>();
                for (int f = 0; f < 30; f++) {
                    wide.put("w" + f, strings[(i + f) % strings.length]);
                }
                record.put("wide", wide);
            }
            records.add(record);
        }
        PythonStatement lengths = PythonStatement.compile(
                "return [dict(r, n=len(r['s']), m=len(r['next']), c=len(r['home']['city'])) for r in INPUT_DATA]",
                new SandboxSettings(false, new RunLimits(Duration.ofSeconds(60), 1L << 30)));
        OPENED.add(lengths);
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Map<String, Object> record : records) {
            Map<String, Object> item = new LinkedHashMap<>(record);
            item.put("n", codePoints(record.get("s")));
            item.put("m", codePoints(record.get("next")));
            item.put("c", codePoints(((Map<?, ?>) record.get("home")).get("city")));
            expected.add(item);
        }
        assertEquals(expected, lengths.runBulk(records, NO_INPUT, (l, m, n) -> { }));
        assertEquals(expected, lengths.runRows(records, NO_INPUT, false, (l, m, n) -> { }));
    }

    private static long codePoints(Object string) {
        return ((String) string).codePointCount(0, ((String) string).length());
    }

    private static Map<String, Object> nested(Object... keysAndValues) {
        Map<String, Object> record = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            record.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return record;
    }

    /** A value written out with every map's keys in their order, at every depth. */
    private static String deepOrder(Object value) {
        if (value instanceof Map<?, ?> map) {
            return "{" + String.join(" ", map.entrySet().stream()
                    .map(entry -> entry.getKey() + "=" + deepOrder(entry.getValue())).toList()) + "}";
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(" ", list.stream().map(PythonStatementTest::deepOrder).toList()) + "]";
        }
        return String.valueOf(value);
    }

    private static String inOrder(Map<String, Object> item) {
        return String.join(" ", item.entrySet().stream().map(entry -> entry.getKey() + "=" + entry.getValue()).toList());
    }

    @Test
    void typeNamesSeenByPython() throws Exception {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("s", "text");
        record.put("i", 42L);
        record.put("f", 1.5);
        record.put("dec", new BigDecimal("1.10"));
        record.put("d", LocalDate.of(2024, 2, 29));
        record.put("ts", Instant.parse("2024-02-29T13:14:15Z"));
        record.put("bytes", new byte[] {1, -1});
        // the run imports decimal and datetime on first use, interpreted at first: under a loaded machine (a CI
        // run beside it) that once took more than the 2 s the other tests allow
        PythonStatement statement = PythonStatement.compile("""
                row = INPUT_DATA[0]
                return [{k: type(v).__name__ for k, v in row.items()}]
                """, new SandboxSettings(false, new RunLimits(Duration.ofSeconds(60), 1L << 30)));
        OPENED.add(statement);
        List<Map<String, Object>> out = statement.runBulk(List.of(record), NO_INPUT, (l, m, n) -> { });
        assertEquals("str", out.get(0).get("s"));
        assertEquals("int", out.get(0).get("i"));
        assertEquals("float", out.get(0).get("f"));
        assertEquals("Decimal", out.get(0).get("dec"));
        assertEquals("date", out.get(0).get("d"));
        assertEquals("datetime", out.get(0).get("ts"));
        assertEquals("bytes", out.get(0).get("bytes"));
    }

    @Test
    void errorsCarryTheStatementLine() throws Exception {
        PythonStatement statement = compile("x = 1\ny = x / 0\nreturn []");
        StatementException e = assertThrows(StatementException.class,
                () -> statement.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }));
        assertEquals(new StatementFailure("ZeroDivisionError", "division by zero", 2), e.failure());
    }

    /** {@code x.title()} runs through the host glue's fast path for ASCII text: the results are those of
     *  {@code str.title} itself (called unbound, which is not rewritten) and CPython's, for ASCII and not, for
     *  bytes, and in nested calls; a call on None fails as before, at the statement's line. */
    @Test
    void titleGivesWhatStrTitleGives() throws Exception {
        PythonStatement titles = compile("""
                samples = ["", "ada lovelace", "  grace  HOPPER ", "they're", "3rd street", "hello-world_x", "o'NEIL",
                           "a1b2c3", "tab\\tsep\\nline", "ALL CAPS", "élan vital", "ǆungla", "ß straße", "ﬁne"]
                out = [{"s": s, "title": s.title(), "unbound": str.title(s)} for s in samples]
                out.append({"s": "bytes", "title": b"ada lovelace".title().decode(),
                            "unbound": bytes.title(b"ada lovelace").decode()})
                out.append({"s": "nested", "title": "ada".title().lower().title(), "unbound": "Ada"})
                return out
                """);
        List<Map<String, Object>> out = titles.runBulk(List.of(), NO_INPUT, (l, m, n) -> { });
        assertEquals(16, out.size());
        Map<Object, Object> titled = new LinkedHashMap<>();
        for (Map<String, Object> item : out) {
            assertEquals(item.get("unbound"), item.get("title"), "title of " + item.get("s"));
            titled.put(item.get("s"), item.get("title"));
        }
        // CPython's answers
        Map<String, String> expected = Map.of("  grace  HOPPER ", "  Grace  Hopper ", "they're", "They'Re",
                "3rd street", "3Rd Street", "hello-world_x", "Hello-World_X", "o'NEIL", "O'Neil", "a1b2c3", "A1B2C3",
                "tab\tsep\nline", "Tab\tSep\nLine", "ß straße", "Ss Straße", "bytes", "Ada Lovelace");
        expected.forEach((text, title) -> assertEquals(title, titled.get(text), "title of " + text));
        PythonStatement none = compile("x = None\ny = x.title()\nreturn []");
        StatementException e = assertThrows(StatementException.class,
                () -> none.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }));
        assertEquals(new StatementFailure("AttributeError", "'NoneType' object has no attribute 'title'", 2),
                e.failure());
    }

    /** {@code round(x, n)} runs through the host glue's fast path for floats: over thousands of values (halves and
     *  ties among them) it gives what GraalPy's own round gives, called through an alias (which is not rewritten);
     *  on known cases it gives CPython's results, the sign of a zero included; and a statement that binds the name
     *  {@code round} to something else calls that. */
    @Test
    void roundGivesCPythonsResult() throws Exception {
        PythonStatement rounding = PythonStatement.compile("""
                own = round
                values = ([k / 1000 for k in range(-3000, 3000)] + [k / 200 for k in range(-2000, 2000)]
                          + [(k * 7919 % 100003) * 1.37 / 13 for k in range(5000)] + [1e15 + 0.3, -7e14 - 0.25])
                checked, differing = 0, []
                for x in values:
                    for n in (0, 1, 2, 3, 6, 15):
                        checked += 1
                        if round(x, n) != own(x, n):
                            differing.append("%r to %d" % (x, n))
                cases = [(2.675, 2), (0.125, 2), (0.375, 2), (1.005, 2), (-0.001, 2), (2.5, 0), (-2.5, 0), (0.5, 0),
                         (1.5, 0), (0.285, 2), (1.015, 2), (4.35, 1), (8.345, 2), (123456789.125, 2), (-0.362, 0),
                         (1e15 + 0.3, 1), (99.995, 2), (2.675, -1), (5, 2), (True, 1), (float("inf"), 2)]
                return [{"checked": checked, "differing": differing[:5],
                         "cases": " ".join(repr(round(x, n)) for x, n in cases)}]
                """, new SandboxSettings(false, new RunLimits(Duration.ofSeconds(60), 1L << 30)));
        OPENED.add(rounding);
        Map<String, Object> result = rounding.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }).get(0);
        assertEquals(6L * 15_002, result.get("checked"));
        assertEquals(List.of(), result.get("differing"));
        assertEquals("2.67 0.12 0.38 1.0 -0.0 2.0 -2.0 0.0 2.0 0.28 1.01 4.3 8.35 123456789.12 -0.0 1000000000000000.2"
                + " 100.0 0.0 5 1 inf", result.get("cases"));

        PythonStatement rebound = compile("round = lambda number, digits: 'mine'\nreturn [{'r': round(1.5, 1)}]");
        assertEquals("mine", rebound.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }).get(0).get("r"));
    }

    @Test
    void busyLoopIsStoppedByTheTimeoutAndTheContextIsReused() throws Exception {
        PythonStatement statement = compile("if INPUT_DATA:\n    while True:\n        pass\nreturn [{'ok': 1}]");
        long start = System.nanoTime();
        StatementException e = assertThrows(StatementException.class,
                () -> statement.runBulk(List.of(Map.of("a", 1L)), NO_INPUT, (l, m, n) -> { }));
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("TimeoutError", e.failure().type());
        assertTrue(elapsedMillis < 5000, "took " + elapsedMillis);
        assertEquals(List.of(Map.of("ok", 1L)), statement.runBulk(List.of(), NO_INPUT, (l, m, n) -> { }));
    }

    @Test
    void stdlibImports() throws Exception {
        PythonStatement statement = compile("""
                import string, math, itertools, random, warnings, base64, io, json, ssl, time, datetime
                from xml import etree
                return [{"j": json.dumps({"a": 1}), "b": base64.b64encode(b"x").decode()}]
                """);
        List<Map<String, Object>> out = statement.runBulk(List.of(), NO_INPUT, (l, m, n) -> { });
        assertEquals("{\"a\": 1}", out.get(0).get("j"));
    }

    @Test
    void hostRefusalsReadWithoutJavaClassNames() {
        assertEquals("socket was excluded", PythonStatement.withoutJavaClassNames(
                "com.oracle.graal.python.runtime.PosixSupportLibrary$UnsupportedPosixFeatureException: socket was excluded"));
        assertEquals("Creating threads is not allowed", PythonStatement.withoutJavaClassNames(
                "java.lang.IllegalStateException: Creating threads is not allowed"));
        assertEquals("no detail given", PythonStatement.withoutJavaClassNames(null));
        assertEquals("a plain sentence stays", PythonStatement.withoutJavaClassNames("a plain sentence stays"));
    }
}
