package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Known Python sandbox-escape families, written as a user would write them in the Statement property: the
 * restricted dialect must refuse each one on its own (the host-level sandbox is tested without the dialect in
 * {@link SandboxHostIsolationTest}). Every case asserts the refusal (exception type, plain sentence, the user's
 * line) <em>and</em> that nothing happened on the host: no file read (a canary file's secret appears nowhere) or
 * created, no process (no file touched), no connection, the JVM's time zone unchanged, and the next run works.
 *
 * <p>To keep the suite fast, every case runs in one context, through the same host glue a {@link PythonStatement}
 * uses ({@code prepare} then {@code dry_run} of {@code statement_host.py}), under the same {@link RunWatchdog}.
 * The attacks that need the whole run path (output conversion, limits) are in {@link SandboxOutputTest}.
 */
class SandboxEscapeTest {

    private static final RunLimits LIMITS = new RunLimits(Duration.ofSeconds(10), 512L * 1024 * 1024);

    @TempDir
    static Path hostDir;
    private static HostCanary host;
    private static DialectHarness harness;

    @BeforeAll
    static void setUp() throws IOException {
        host = new HostCanary(hostDir);
        harness = new DialectHarness();
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (HostCanary closing = host) {
            if (harness != null) {
                harness.close();
            }
            assertEquals(HostCanary.ZONE, TimeZone.getDefault().getID(), "no statement changed the JVM's time zone");
        }
    }

    /** An attack and how it must fail: exception type, the user's line (null: not checked), part of the message. */
    record Attack(String name, String type, Integer line, String message, String source) {
    }

    private static Attack attack(String name, String type, Integer line, String message, String source) {
        return new Attack(name, type, line, message, source);
    }

    // ---------------------------------------------------------------------------------------------- static rules

    /** Refused before the statement runs: the static check on the AST. */
    private static List<Attack> staticAttacks() {
        return List.of(
                attack("import os", "ImportError", 1, "import of module 'os' is not allowed", "import os"),
                attack("NFKC-normalised import", "ImportError", 2, "module 'os'", "x = 1\nimport ｏｓ"),
                attack("import sys", "ImportError", 1, "'sys'", "import sys"),
                attack("import java", "ImportError", 1, "'java'", "import java"),
                attack("import polyglot", "ImportError", 1, "'polyglot'", "import polyglot"),
                attack("import __graalpython__", "ImportError", 1, "'__graalpython__'", "import __graalpython__"),
                attack("import ctypes", "ImportError", 1, "'ctypes'", "import ctypes"),
                attack("import subprocess", "ImportError", 1, "'subprocess'", "import subprocess"),
                attack("import signal", "ImportError", 1, "'signal'", "import signal"),
                attack("import _thread", "ImportError", 1, "'_thread'", "import _thread"),
                attack("import threading", "ImportError", 1, "'threading'", "import threading"),
                attack("import posix", "ImportError", 1, "'posix'", "import posix"),
                attack("import pickle", "ImportError", 1, "'pickle'", "import pickle"),
                attack("import importlib", "ImportError", 1, "'importlib'", "import importlib"),
                attack("import gc", "ImportError", 1, "'gc'", "import gc"),
                attack("from os import system", "ImportError", 1, "'os'", "from os import system"),
                attack("submodule path not listed", "ImportError", 1, "'xml.etree'",
                        "from xml.etree import ElementTree"),
                attack("relative import", "ImportError", 1, "relative imports", "from . import x"),
                attack("from module import private name", "ImportError", 1, "cannot import name '_os'",
                        "from random import _os"),
                attack("from import *", "SyntaxError", 1, "import the names you use", "from math import *"),
                attack("function globals", "AttributeError", 2, "'__globals__'",
                        "import json\nx = json.dumps.__globals__"),
                attack("module builtins", "AttributeError", 2, "'__builtins__'",
                        "import random\nx = random.__builtins__"),
                attack("private module attribute", "AttributeError", 2, "'_os'", "import random\nx = random._os"),
                attack("subclasses walk", "AttributeError", 1, "'__subclasses__'",
                        "x = (1).__class__.__subclasses__()"),
                attack("base walk", "AttributeError", 1, "not allowed in restricted Python",
                        "x = ().__class__.__base__.__subclasses__()"),
                attack("mro", "AttributeError", 1, "'mro'", "x = type.mro(int)"),
                attack("generator frame", "AttributeError", 3, "not allowed in restricted Python",
                        "def g():\n    yield 1\nf = g().gi_frame.f_back.f_globals"),
                attack("coroutine frame", "AttributeError", 3, "'cr_frame'",
                        "async def c():\n    return 1\nf = c().cr_frame"),
                attack("traceback frame", "AttributeError", 4, "not allowed in restricted Python",
                        "try:\n    1 / 0\nexcept Exception as e:\n    t = e.__traceback__.tb_frame"),
                attack("bound method function", "AttributeError", 1, "not allowed in restricted Python",
                        "x = log.trace.__func__.__globals__"),
                attack("code object", "AttributeError", 1, "'__code__'", "x = (lambda: 0).__code__"),
                attack("closure cell", "AttributeError", 1, "'cell_contents'", "x = cell.cell_contents"),
                attack("object dict", "AttributeError", 1, "'__dict__'", "x = log.__dict__"),
                attack("module loader", "AttributeError", 2, "'__loader__'", "import json\nx = json.__loader__"),
                attack("module spec", "AttributeError", 2, "'__spec__'", "import json\nx = json.__spec__.loader"),
                attack("NFKC-normalised attribute", "AttributeError", 3, "'gi_frame'",
                        "def g():\n    yield 1\nf = g().ｇｉ_ｆｒａｍｅ"),
                attack("NFKC-normalised dunder", "AttributeError", 1, "'__base__'",
                        "x = (1).__ｃｌａｓｓ__.__𝐛𝐚𝐬𝐞__"),
                attack("__builtins__", "NameError", 1, "'__builtins__'", "x = __builtins__"),
                attack("NFKC-normalised __builtins__", "NameError", 1, "'__builtins__'", "x = __ｂｕｉｌｔｉｎｓ__"),
                attack("__loader__", "NameError", 1, "'__loader__'", "x = __loader__.load_module"),
                attack("__spec__", "NameError", 1, "'__spec__'", "x = __spec__"),
                attack("literal format attribute", "AttributeError", 1,
                        "format strings cannot access attribute '__globals__'",
                        "x = '{0.__globals__}'.format(log.trace)"),
                attack("literal format frame", "AttributeError", 1, "'gi_frame'", "x = '{0.gi_frame}'.format(1)"),
                attack("format field in the format spec", "AttributeError", 1, "'__base__'",
                        "x = '{0:{1.__class__.__base__}}'.format(1, 2)"),
                attack("literal format_map", "AttributeError", 1, "'__globals__'",
                        "x = '{a.__init__.__globals__}'.format_map({'a': log})"),
                attack("global getattr then del", "SyntaxError", 1, "'getattr' is provided by restricted Python",
                        "global getattr\ndel getattr\ng = getattr(log, '__dict__')"),
                attack("global open", "SyntaxError", 1, "'open' is provided by restricted Python",
                        "global open\ndel open"),
                attack("global pow in a function", "SyntaxError", 2, "'pow'",
                        "def f():\n    global pow\n    del pow\nf()"),
                attack("global __import__", "SyntaxError", 1, "'__import__'", "global __import__"),
                attack("nonlocal dialect name", "SyntaxError", 3, "'hasattr'",
                        "def f():\n    def g():\n        nonlocal hasattr\n    return g"));
    }

    // ---------------------------------------------------------------------------------------------- run-time guards

    /** Refused while the statement runs: paths the AST cannot see. Each statement ends with {@code return []}. */
    private static List<Attack> runtimeAttacks() {
        List<Attack> attacks = new ArrayList<>(List.of(
                attack("__import__ os", "ImportError", 2, "'os'", "x = 1\nm = __import__('os')"),
                attack("import guard as a map callback", "ImportError", 1, "'os'",
                        "m = list(map(__import__, ['os']))"),
                attack("import guard in a comprehension", "ImportError", 1, "'sys'",
                        "m = [__import__(name) for name in ['sys']]"),
                attack("__import__ java", "ImportError", 1, "'java'", "m = __import__('java')"),
                attack("__import__ __graalpython__", "ImportError", 1, "'__graalpython__'",
                        "m = __import__('__graalpython__')"),
                attack("__import__ fromlist then module attribute", "AttributeError", 1, "module 're'",
                        "m = __import__('json', fromlist=['decoder']).decoder.re"),
                attack("warnings.sys", "AttributeError", 2, "module 'sys' is not available in restricted Python",
                        "import warnings\ns = warnings.sys"),
                attack("warnings.sys.modules", "AttributeError", 2, "module 'sys'",
                        "import warnings\nos = warnings.sys.modules['os']"),
                attack("ssl.os", "AttributeError", 2, "module 'os'", "import ssl\no = ssl.os"),
                attack("ssl.sys", "AttributeError", 2, "module 'sys'", "import ssl\ns = ssl.sys"),
                attack("socket through ssl with network denied", "PermissionError", 2, "network access is denied",
                        "import ssl\ns = ssl.create_connection(('127.0.0.1', {PORT}))"),
                // the host refuses to create the socket anyway ("socket was excluded"); _refuse_network says why first
                attack("socket class through ssl with network denied", "PermissionError", 2, "network access is denied",
                        "import ssl\ns = ssl.socket().connect(('127.0.0.1', {PORT}))"),
                attack("json.decoder.re", "AttributeError", 2, "module 're'", "import json\nr = json.decoder.re"),
                attack("base64.binascii", "AttributeError", 2, "module 'binascii'",
                        "import base64\nb = base64.binascii"),
                attack("etree.ElementTree.sys", "AttributeError", 2, "module 'sys'",
                        "from xml import etree\ns = etree.ElementTree.sys"),
                attack("from warnings import sys", "ImportError", 1, "cannot import name 'sys' from 'warnings'",
                        "from warnings import sys"),
                attack("from ssl import os", "ImportError", 1, "module 'os'", "from ssl import os"),
                attack("module through a variable", "AttributeError", 3, "module 'sys'",
                        "import warnings\nw = warnings\ns = w.sys"),
                attack("module through a list", "AttributeError", 2, "module 'sys'",
                        "import warnings\ns = [warnings][0].sys"),
                attack("module through an object attribute", "AttributeError", 5, "module 'sys'",
                        "import warnings\nclass Box:\n    pass\nbox = Box(); box.m = warnings\ns = box.m.sys"),
                attack("module through getattr", "AttributeError", 2, "module 'sys'",
                        "import warnings\ns = getattr(warnings, 'sys')"),
                attack("module through two getattrs", "AttributeError", 3, "module 're'",
                        "import json\nd = getattr(json, 'decoder')\nr = getattr(d, 're')"),
                attack("module class reassignment", "AttributeError", 4, "'__class__'",
                        "import json\nclass M:\n    pass\njson.__class__ = M"),
                attack("module private write", "AttributeError", 2, "'_default_encoder'",
                        "import json\nsetattr(json, '_default_encoder', None)"),
                attack("module name rewrite", "AttributeError", 2, "'__name__'",
                        "import warnings\nwarnings.__name__ = 'json'"),
                attack("private attribute through getattr", "AttributeError", 2, "'_os'",
                        "import random\no = getattr(random, '_os')"),
                attack("globals through getattr", "AttributeError", 2, "'__globals__'",
                        "import json\ng = getattr(json.dumps, '__globals__')"),
                attack("getattr as a map callback", "AttributeError", 1, "'__globals__'",
                        "g = list(map(getattr, [log.trace], ['__globals__']))"),
                attack("computed subclasses", "AttributeError", 1, "'__subclasses__'",
                        "s = getattr((1).__class__, '__subclass' + 'es__')"),
                attack("computed generator frame", "AttributeError", 3, "'gi_frame'",
                        "def g():\n    yield 1\nf = getattr(g(), 'gi_' + 'frame')"),
                attack("computed traceback", "AttributeError", 4, "'__traceback__'",
                        "try:\n    1 / 0\nexcept Exception as e:\n    t = getattr(e, '__trace' + 'back__')"),
                attack("computed loader", "AttributeError", 2, "'__loader__'",
                        "import json\nl = getattr(json, '__loader__')"),
                attack("hasattr probe", "AttributeError", 1, "'__globals__'",
                        "h = hasattr(log.trace, '__glob' + 'als__')"),
                attack("computed format template", "AttributeError", 2,
                        "format strings cannot access attribute '__globals__'",
                        "t = '{0.__glo' + 'bals__}'\nx = t.format(log.trace)"),
                attack("bound format as a map callback", "AttributeError", 2, "'__globals__'",
                        "t = '{0.__glo' + 'bals__}'\nx = list(map(t.format, [log.trace]))"),
                attack("unbound str.format", "AttributeError", 2, "'__globals__'",
                        "t = '{0.__glo' + 'bals__}'\nx = str.format(t, log.trace)"),
                attack("str.format as a value", "AttributeError", 3, "'__globals__'",
                        "t = '{0.__glo' + 'bals__}'\nf = str.format\nx = f(t, log.trace)"),
                attack("computed format_map", "AttributeError", 2, "'__globals__'",
                        "t = '{f.__glo' + 'bals__}'\nx = t.format_map({'f': log.trace})"),
                attack("string.Formatter", "AttributeError", 3, "'__globals__'",
                        "import string\nt = '{0.__glo' + 'bals__}'\nx = string.Formatter().format(t, log.trace)"),
                attack("string.Formatter.get_field", "AttributeError", 2, "'__globals__'",
                        "import string\nx = string.Formatter().get_field('0.__glo' + 'bals__', (log.trace,), {})"),
                attack("string.Formatter through super()", "AttributeError", 3, "get_field",
                        "import string\nf = string.Formatter()\n"
                                + "x = super(string.Formatter, f).get_field('0.__glo' + 'bals__', (log.trace,), {})"),
                attack("string.Formatter subclass", "AttributeError", 5, "'__globals__'",
                        "import string\nclass F(string.Formatter):\n    def get_value(self, key, args, kwargs):\n"
                                + "        return log.trace\nx = F().format('{0.__glo' + 'bals__}')"),
                attack("format through getattr", "AttributeError", 2, "'__globals__'",
                        "t = '{0.__glo' + 'bals__}'\nx = getattr(t, 'format')(log.trace)"),
                attack("format of a generator frame", "AttributeError", 3, "'gi_frame'",
                        "def g():\n    yield 1\nx = ('{0.gi_' + 'frame}').format(g())"),
                attack("a guard reached through locals(): attribute", "AttributeError", 2, "'__globals__'",
                        "f = 'x'.format\ng = locals()['__rp_attribute__'](log.trace, '__globals__')"),
                attack("a guard reached through locals(): augmented attribute", "AttributeError", 5, "'__dict__'",
                        "class B:\n    n = 1\nb = B()\nb.n **= 2\n"
                                + "locals()['__rp_augment_attribute__']('**', log, '__dict__', 1)"),
                attack("a guard reached through locals(): from import", "ImportError", 2, "'__getattr__'",
                        "from json import dumps\nlocals()['__rp_import_from__']('json', '__getattr__')"),
                attack("a guard reached through locals(): format", "AttributeError", 2, "'__class__'",
                        "x = 'a'.format()\nlocals()['__rp_format__']('x', '__class__')"),
                attack("a guard reached through locals(): import", "ImportError", 2, "'os'",
                        "import json\nlocals()['__rp_import__']('os', False)"),
                attack("10 ** 10 ** 8", "OverflowError", 1, "restricted Python limits integers",
                        "x = 10 ** 10 ** 8"),
                attack("pow(10, 10 ** 8)", "OverflowError", 1, "bits", "x = pow(10, 10 ** 8)"),
                attack("a small exponent of a big base", "OverflowError", 2, "bits",
                        "x = 2 ** 999_999\ny = x ** 64"),
                attack("pow as a map callback", "OverflowError", 1, "bits", "x = list(map(pow, [10], [10 ** 8]))"),
                attack("1 << 10 ** 9", "OverflowError", 1, "bits", "x = 1 << 10 ** 9"),
                attack("**=", "OverflowError", 2, "bits", "x = 7\nx **= 10 ** 8"),
                attack("<<= on an item", "OverflowError", 2, "bits", "d = {'k': 3}\nd['k'] <<= 10 ** 9"),
                attack("**= on an attribute", "OverflowError", 4, "bits",
                        "class Box:\n    n = 3\nbox = Box()\nbox.n **= 10 ** 8"),
                attack("pow with a huge modulus", "OverflowError", 1, "modulus",
                        "x = pow(3, 2 ** 100000, 2 ** 1000000 + 1)"),
                attack("math.factorial", "OverflowError", 2, "bits", "import math\nx = math.factorial(10 ** 7)"),
                attack("math.comb", "OverflowError", 2, "bits", "from math import comb\nx = comb(10 ** 7, 10 ** 6)"),
                attack("random.getrandbits", "OverflowError", 2, "bits",
                        "import random\nx = random.getrandbits(10 ** 9)"),
                attack("open", "NameError", 1, "'open' is not available in restricted Python",
                        "x = open('{CANARY}').read()"),
                attack("io.open", "NameError", 2, "'io.open' is not available",
                        "import io\nx = io.open('{CANARY}').read()"),
                attack("io.FileIO", "NameError", 2, "'io.FileIO' is not available",
                        "from io import FileIO\nx = FileIO('{CANARY}').read()"),
                attack("exec", "NameError", 1, "'exec' is not available", "exec('import os')"),
                attack("globals()", "NameError", 1, "'globals' is not available", "g = globals()"),
                attack("vars(module)", "NameError", 2, "'vars' is not available", "import json\nv = vars(json)"),
                attack("time.tzset", "NameError", 2, "'time.tzset' is not available",
                        "import time\ntime.tzset()"),
                attack("from time import tzset", "NameError", 2, "'time.tzset' is not available",
                        "from time import tzset\ntzset()"),
                attack("exit()", "NameError", 1, "'exit' is not available", "exit(3)"),
                attack("SystemExit", "SystemExit", 1, "tried to exit", "raise SystemExit(3)"),
                attack("etree.parse of a host file", "PermissionError", 2, null,
                        "from xml import etree\nx = etree.ElementTree.parse('{CANARY}')"),
                attack("XXE in ElementTree", "ParseError", 4, "undefined entity", """
                        from xml import etree
                        doc = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{CANARY}">]><x>&e;</x>'
                        
                        x = etree.ElementTree.fromstring(doc).text
                        log.info(x)"""),
                attack("XXE through a parameter entity", "ValueError", 5, "no secret", """
                        from xml import etree
                        doc = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file://{CANARY}"> %p;]><x>1</x>'
                        x = etree.ElementTree.tostring(etree.ElementTree.fromstring(doc))
                        if b'canary' not in x:
                            raise ValueError('no secret')"""),
                attack("XXE in minidom", "ValueError", 5, "no secret", """
                        from xml import dom
                        doc = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{CANARY}">]><x>&e;</x>'
                        x = dom.minidom.parseString(doc).documentElement.toxml()
                        if 'canary' not in x:
                            raise ValueError('no secret')"""),
                attack("external DTD", "ValueError", 5, "no connection", """
                        from xml import etree
                        doc = '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:{PORT}/x.dtd"><x>1</x>'
                        x = etree.ElementTree.fromstring(doc)
                        if x.text == '1':
                            raise ValueError('no connection')"""),
                attack("billion laughs", "ParseError", 4, "entity", """
                        from xml import etree
                        d = '<!ENTITY a "aaaaaaaaaa">' + ''.join('<!ENTITY %s "%s">' % (chr(98 + i), ('&' + chr(97 + i) + ';') * 10) for i in range(8))
                        doc = '<?xml version="1.0"?><!DOCTYPE l [' + d + ']><l>&i;</l>'
                        x = etree.ElementTree.fromstring(doc)""")));
        attacks.addAll(yamlAttacks());
        return attacks;
    }

    /** PyYAML is bundled by another part of the build: its cases run when it is importable. */
    private static List<Attack> yamlAttacks() {
        if (!harness.importable("yaml")) {
            return List.of();
        }
        return List.of(
                attack("yaml python/object/apply", "ConstructorError", 2, "not allowed",
                        "import yaml\nx = yaml.unsafe_load('!!python/object/apply:os.system [\"touch {DIR}/yaml1\"]')"),
                attack("yaml UnsafeLoader", "ConstructorError", 2, "not allowed",
                        "import yaml\nx = yaml.load('!!python/object/apply:subprocess.getoutput [\"id\"]', "
                                + "Loader=yaml.UnsafeLoader)"),
                attack("yaml python/name", "ConstructorError", 2, "not allowed",
                        "import yaml\nx = yaml.full_load('!!python/name:os.system')"),
                attack("yaml python/module", "ConstructorError", 2, "not allowed",
                        "import yaml\nx = yaml.load('!!python/module:os', Loader=yaml.Loader)"),
                attack("yaml python/object/new", "ConstructorError", 2, "not allowed",
                        "import yaml\nx = yaml.unsafe_load('!!python/object/new:builtins.exec [\"import os\"]')"),
                attack("yaml constructor of a submodule", "ConstructorError", 10, "not allowed",
                        "import yaml\nclass L(yaml.loader.Reader, yaml.loader.Scanner, yaml.loader.Parser, "
                                + "yaml.loader.Composer, yaml.constructor.UnsafeConstructor, yaml.resolver.Resolver):\n"
                                + "    def __init__(self, s):\n        yaml.loader.Reader.__init__(self, s)\n"
                                + "        yaml.loader.Scanner.__init__(self)\n        yaml.loader.Parser.__init__(self)\n"
                                + "        yaml.loader.Composer.__init__(self)\n"
                                + "        yaml.constructor.UnsafeConstructor.__init__(self)\n"
                                + "        yaml.resolver.Resolver.__init__(self)\n"
                                + "x = yaml.load('!!python/object/apply:os.system [\"id\"]', Loader=L)"),
                attack("yaml module through an attribute", "AttributeError", 2, "module",
                        "import yaml\nx = yaml.constructor.sys"));
    }

    @TestFactory
    Stream<DynamicTest> staticRefusals() {
        return staticAttacks().stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> assertRefused(attack)));
    }

    @TestFactory
    Stream<DynamicTest> runtimeRefusals() {
        return runtimeAttacks().stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> assertRefused(attack)));
    }

    /** The transformation must leave ordinary statements working: each returns [{'v': ...}] with this JSON. */
    @TestFactory
    Stream<DynamicTest> ordinaryCodeStillWorks() {
        String[][] cases = {
                {"import json\nfrom json import dumps\nv = [json.dumps({'a': 1}), dumps([2]), json.decoder.JSONDecodeError.__name__]",
                        "[\"{\\\"a\\\": 1}\", \"[2]\", \"JSONDecodeError\"]"},
                {"from xml import etree\nv = etree.ElementTree.fromstring('<a>1</a>').text", "\"1\""},
                {"import datetime\nd = datetime.date(2024, 1, 2)\nv = [d.year, d.month, (d + datetime.timedelta(days=1)).day]", "[2024, 1, 3]"},
                {"x = 3\nx **= 2\nd = {'k': [1, 2]}\nd['k'][1] <<= 3\nv = [x, d['k'], 2 ** 0.5 > 1, pow(2, 10), pow(3, 4, 5), 3 ** 4]",
                        "[9, [1, 16], true, 1024, 1, 81]"},
                {"class V:\n    def __ipow__(self, other):\n        self.n = other\n        return self\nw = V()\nu = w\nw **= 2\nv = [u is w, w.n]",
                        "[true, 2]"},
                {"v = ['{0} {1.real}'.format(1, 2), '{x}'.format_map({'x': 5}), list(map('{}!'.format, [1])), str.format('{}', 3)]",
                        "[\"1 2\", \"5\", [\"1!\"], \"3\"]"},
                {"import string\nv = string.Formatter().format('{0}:{1!r:>5}', 'a', 'b')", "\"a:  'b'\""},
                {"r = range(10 ** 12)\nv = [isinstance(r, range), isinstance(range(3), range), r[-1], 10 in r, list(r[:3]), sum(range(5)), len(range(3))]",
                        "[true, true, 999999999999, true, [0, 1, 2], 10, 3]"},
                {"import itertools\nv = [list(itertools.islice(itertools.count(5), 3)), list(itertools.repeat(1, 2)), len(list(itertools.product('ab', repeat=2)))]",
                        "[[5, 6, 7], [1, 1], 4]"},
                {"c = [0]\ndef f():\n    c[0] += 1\n    return c[0]\nv = list(iter(f, 3))", "[1, 2]"},
                {"match {'a': 1}:\n    case {'a': x}:\n        v = x", "1"},
                {"import math\nv = [math.factorial(10), math.comb(10, 3), math.isqrt(99), round(math.pi, 2)]", "[3628800, 120, 9, 3.14]"},
                {"import warnings\nwarnings.custom_setting = 7\nv = __import__('warnings').custom_setting", "7"},
                {"class P:\n    @property\n    def x(self):\n        return 4\nv = P().x", "4"},
        };
        return Stream.of(cases).map(c -> DynamicTest.dynamicTest(c[0].replace('\n', ';'), () -> {
            Outcome outcome = harness.run(c[0] + "\nreturn [{'v': v}]");
            assertFalse(outcome.failed(), String.valueOf(outcome.failure()));
            assertEquals("[{\"v\": " + c[1] + "}]", outcome.value());
        }));
    }

    private static void assertRefused(Attack attack) throws IOException {
        int connectionsBefore = host.connections();
        String source = host.fillIn(attack.source().stripIndent().strip());
        if (!source.contains("return")) {
            source = source + "\nreturn []";
        }
        Outcome outcome = harness.run(source);
        assertTrue(outcome.failed(), attack.name() + " was not refused: it returned " + outcome.value());
        StatementFailure failure = outcome.failure();
        assertEquals(attack.type(), failure.type(), failure.describe());
        if (attack.line() != null) {
            assertEquals(attack.line(), failure.line(), failure.describe());
        }
        if (attack.message() != null) {
            assertTrue(failure.message().contains(attack.message()), failure.describe());
        }
        host.assertUntouched(failure.describe() + " " + harness.logged(), connectionsBefore);
        Outcome next = harness.run("return [{'alive': 1}]");
        assertFalse(next.failed(), "the next run works after " + attack.name() + ": " + next);
    }

    // ---------------------------------------------------------------------------------------------- harness

    /** What a run gave: a failure, or the returned records as JSON. */
    record Outcome(StatementFailure failure, String value) {
        boolean failed() {
            return failure != null;
        }
    }

    /**
     * One sandboxed context set up as {@link PythonStatement} sets up its own (host glue, dialect, XML bridge);
     * each {@link #run} compiles a statement with {@code prepare} and dry-runs it once under a {@link RunWatchdog}.
     */
    static final class DialectHarness implements AutoCloseable {
        private final Context context;
        private final Value prepare;
        private final Value dryRun;
        private final long[] heartbeat = new long[1];
        private final StringBuilder logged = new StringBuilder();

        DialectHarness() {
            context = PythonSandbox.newContext(false, OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
            Value bindings = PythonStatement.loadGlue(context);
            prepare = bindings.getMember("prepare");
            dryRun = bindings.getMember("dry_run");
        }

        Outcome run(String source) {
            logged.setLength(0);
            ProxyExecutable sink = arguments -> {
                logged.append(arguments[1].asString()).append('\n');
                return null;
            };
            RunWatchdog.Watch watch = RunWatchdog.watch(context, heartbeat, LIMITS);
            try {
                Value error = prepare.execute(source, sink, null, false);
                if (!error.isNull()) {
                    return new Outcome(failure(error), null);
                }
                Value outcome = dryRun.execute("[]", null, null, null, false, false, heartbeat);
                if (!"ok".equals(outcome.getArrayElement(0).asString())) {
                    return new Outcome(failure(outcome), null);
                }
                return new Outcome(null, outcome.getArrayElement(2).asString());
            } catch (PolyglotException e) {
                return new Outcome(new StatementFailure(watch.breach() != null ? watch.breach().name()
                        : "PolyglotException", String.valueOf(e.getMessage()), null), null);
            } finally {
                watch.close();
            }
        }

        boolean importable(String module) {
            return !run("import " + module + "\nreturn []").failed();
        }

        String logged() {
            return logged.toString();
        }

        private static StatementFailure failure(Value error) {
            Value line = error.getArrayElement(3);
            return new StatementFailure(error.getArrayElement(1).asString(), error.getArrayElement(2).asString(),
                    line.isNull() ? null : line.asInt());
        }

        @Override
        public void close() {
            context.close(true);
        }
    }
}
