package dev.restrictedpython.nifi.runtime;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The restricted dialect as a user meets it: through a compiled statement in a real sandboxed context. */
class RestrictedDialectTest {

    private static final SandboxSettings SETTINGS = new SandboxSettings(false,
            new RunLimits(Duration.ofSeconds(10), 512L * 1024 * 1024));
    private static final RunInput NO_INPUT = new RunInput(null, Map.of(), Map.of());

    private static StatementPool warm;

    @BeforeAll
    static void warmEngine() throws StatementException {
        warm = StatementPool.open("return []", SETTINGS, 1);
    }

    @AfterAll
    static void close() {
        warm.close();
    }

    private static List<Map<String, Object>> run(String source) throws StatementException {
        try (PythonStatement statement = PythonStatement.compile(source, SETTINGS)) {
            return statement.runBulk(List.of(), NO_INPUT, (level, message, line) -> { });
        }
    }

    private static StatementFailure failure(String source) {
        return assertThrows(StatementException.class, () -> run(source)).failure();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "import string|string.ascii_lowercase[:3]|abc",
            "import math|str(math.sqrt(16))|4.0",
            "import itertools|str(list(itertools.chain([1], [2])))|[1, 2]",
            "import random|str(random.Random(7).randint(1, 1))|1",
            "import warnings|str(warnings.catch_warnings is not None)|True",
            "import base64|base64.b64encode(b'hi').decode()|aGk=",
            "import io|io.StringIO('x').read()|x",
            "import json|json.dumps({'a': [1]})|{\"a\": [1]}",
            "import xml|xml.__name__|xml",
            "import ssl|str(ssl.PROTOCOL_TLS_CLIENT is not None)|True",
            "import time|str(time.time() > 0)|True",
            "import datetime|datetime.date(2024, 1, 2).isoformat()|2024-01-02",
            "from json import dumps|dumps([1])|[1]",
            "from xml import etree|etree.__name__|xml.etree",
    })
    void everyAllowedStandardModuleImportsAndWorks(String importLine, String expression, String expected)
            throws StatementException {
        List<Map<String, Object>> out = run(importLine + "\nreturn [{'v': " + expression + "}]");
        assertEquals(expected, out.getFirst().get("v"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "import os|os",
            "import sys|sys",
            "from xml.etree import ElementTree|xml.etree",
            "import passlib|passlib",
            "import jose.jwt|jose.jwt",
            "import subprocess|subprocess",
            "from os import path|os",
            "import importlib|importlib",
            "import ｏｓ|os",
    })
    void refusedImportsFailOnTheirLine(String importLine, String module) {
        StatementFailure failure = failure("x = 1\n" + importLine + "\nreturn []");
        assertEquals("ImportError", failure.type());
        assertTrue(failure.message().startsWith("import of module '" + module + "' is not allowed"), failure.message());
        assertEquals(2, failure.line());
    }

    @ParameterizedTest
    @ValueSource(strings = {"import passlib.hash", "from jose import jwt", "import jose.backends", "import matplotlib.pyplot"})
    void theAOrABRuleAcceptsListedPaths(String importLine) {
        // the static rule accepts these; whether the package is installed is another matter
        StatementFailure failure = failure(importLine + "\nraise ValueError('got past the import check')");
        assertTrue(failure.type().equals("ValueError") || failure.type().equals("ModuleNotFoundError"), failure.describe());
    }

    @ParameterizedTest
    @ValueSource(strings = {"from . import x", "from .json import dumps"})
    void relativeImportsAreRefused(String importLine) {
        StatementFailure failure = failure(importLine + "\nreturn []");
        assertEquals(new StatementFailure("ImportError", "relative imports are not allowed", 1), failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "__import__('os')",
            "list(map(__import__, ['os']))",
            "[__import__(name) for name in ['sys']]",
    })
    void dynamicImportsFollowTheSameRule(String call) {
        StatementFailure failure = failure("x = 1\nmodule = " + call + "\nreturn []");
        assertEquals("ImportError", failure.type());
        assertEquals(2, failure.line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "number: int = 1|1",
            "x = 1\\nnumber: int|2",
            "def f(a: int):\\n    return a|1",
            "def f(a) -> int:\\n    return a|1",
            "async def f(*args: int):\\n    return 1|1",
            "def f(**kw: dict):\\n    return 1|1",
            "class A:\\n    field: str = 'x'|2",
            "for i in []:\\n    def g(a, b: int = 1):\\n        pass|2",
    })
    void typeHintsAreASyntaxError(String source, int line) {
        StatementFailure failure = failure(source.replace("\\n", "\n") + "\nreturn []");
        assertEquals("SyntaxError", failure.type());
        assertEquals("type hints are not supported in restricted Python; remove the annotation", failure.message());
        assertEquals(line, failure.line());
    }

    @ParameterizedTest
    @ValueSource(strings = {"open", "exec", "eval", "compile", "breakpoint", "input", "help", "exit", "quit"})
    void outsideReachingBuiltinsAreAbsentAndNamed(String builtin) {
        StatementFailure failure = failure("x = 1\nvalue = " + builtin + "('x')\nreturn []");
        assertEquals(new StatementFailure("NameError", "'" + builtin + "' is not available in restricted Python", 2),
                failure);
    }

    @ParameterizedTest
    @ValueSource(strings = {"number = 1\nreturn [{'n': number}]", "input = 5\nreturn [{'n': input}]"})
    void ordinaryCodeAndShadowedNamesStillWork(String source) throws StatementException {
        assertEquals(1, run(source).size());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x = (1).__class__.__subclasses__|__subclasses__",
            "g = len.__self__|__self__",
            "import random\\nx = random._os|_os",
            "def f():\\n    yield 1\\nx = f().gi_frame|gi_frame",
    })
    void internalAttributesAreRefused(String source, String attribute) {
        StatementFailure failure = failure(source.replace("\\n", "\n") + "\nreturn []");
        assertEquals("AttributeError", failure.type());
        assertEquals("access to attribute '" + attribute + "' is not allowed in restricted Python", failure.message());
    }

    @ParameterizedTest
    @ValueSource(strings = {"getattr(len, '__self__')", "getattr(json, '__builtins__', None)"})
    void computedAttributeNamesAreRefusedToo(String expression) {
        StatementFailure failure = failure("import json\nx = " + expression + "\nreturn []");
        assertEquals("AttributeError", failure.type());
        assertEquals(2, failure.line());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "return [1/0]|ZeroDivisionError|1",
            "x = 1\\n\\n\\ny = [][3]\\nreturn []|IndexError|4",
            "def inner():\\n    raise KeyError('k')\\ninner()\\nreturn []|KeyError|2",
    })
    void errorsReportTheUsersLine(String source, String type, int line) {
        StatementFailure failure = failure(source.replace("\\n", "\n"));
        assertEquals(type, failure.type());
        assertEquals(line, failure.line());
    }

    @ParameterizedTest
    @ValueSource(strings = {"return [", "x = = 1", "if True\n  return []"})
    void pythonSyntaxErrorsCarryTheirLine(String source) {
        StatementFailure failure = failure(source.replace("\\n", "\n"));
        assertEquals("SyntaxError", failure.type());
        assertTrue(failure.line() != null && failure.line() >= 1, failure.describe());
    }
}
