package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox still holds with the bundled packages: the only file system is the jar's read-only bundle (plus
 * GraalPy's read-only language home), and no native code or threads are reachable through it.
 */
class ThirdPartySandboxTest {

    private static Context context;

    @BeforeAll
    static void openContext() {
        context = PythonSandbox.newContext(false, new ByteArrayOutputStream(), new ByteArrayOutputStream());
    }

    @AfterAll
    static void closeContext() {
        context.close(true);
    }

    /** Evaluates {@code code}; returns "ok: <value>" or "<ExceptionType>" of the Python exception it raised. */
    private static String outcome(String code) {
        context.eval("python", "def _probe():\n" + code.indent(4) + "\n");
        return context.eval("python", """
                try:
                    _result = "ok: %s" % (_probe(),)
                except BaseException as _error:
                    _result = type(_error).__name__
                _result
                """).asString();
    }

    @Test
    void bundledPackagesAreOnThePathFromTheVirtualFileSystem() {
        String mount = BundledPackages.get().mountPoint();
        assertEquals("ok: True", outcome("import sys\nreturn any(p.endswith('/venv/lib/python3.12/site-packages') "
                + "and p.startswith('" + mount + "') for p in sys.path)"));
        assertEquals("ok: " + mount + "/venv/lib/python3.12/site-packages/yaml/__init__.py",
                outcome("import yaml\nreturn yaml.__file__"));
    }

    @Test
    void hostFilesAreOutOfReach() {
        for (String path : new String[] {"/etc/passwd", "/etc/hostname", System.getProperty("user.home") + "/.bashrc",
                System.getProperty("java.home") + "/release"}) {
            assertTrue(outcome("import io\nreturn io.open('" + path + "').read()").matches("PermissionError|OSError"),
                    path);
        }
        assertTrue(outcome("import os\nreturn os.listdir('/')").matches("PermissionError|OSError"));
        assertTrue(outcome("import io\nio.open('/tmp/restricted-python-probe', 'w').write('x')\nreturn 1")
                .matches("PermissionError|OSError"));
    }

    @Test
    void theBundleAndTheLanguageHomeAreReadOnly() {
        String sitePackages = BundledPackages.get().mountPoint() + "/venv/lib/python3.12/site-packages";
        assertEquals("ok: True", outcome("import io\nreturn len(io.open('" + sitePackages + "/yaml/__init__.py').read()) > 0"));
        assertTrue(outcome("import io\nio.open('" + sitePackages + "/yaml/__init__.py', 'a').write('#')\nreturn 1")
                .matches("PermissionError|OSError"));
        assertTrue(outcome("import io\nio.open('" + sitePackages + "/new_module.py', 'w').write('x = 1')\nreturn 1")
                .matches("PermissionError|OSError"));
        assertTrue(outcome("import os\nos.remove('" + sitePackages + "/yaml/__init__.py')\nreturn 1")
                .matches("PermissionError|OSError"));
        // the standard library is readable (it is how modules load) but not writable
        assertEquals("ok: True", outcome("import json, io\nreturn len(io.open(json.__file__).read()) > 0"));
        assertTrue(outcome("import json, io\nio.open(json.__file__, 'a').write('#')\nreturn 1")
                .matches("PermissionError|OSError"));
        assertTrue(outcome("import json, os\nreturn os.listdir(os.path.dirname(os.path.dirname(json.__file__)) + '/..')")
                .startsWith("ok"), "listing the language home is allowed, as without the bundle");
        assertTrue(outcome("import json, io, os\nio.open(os.path.dirname(json.__file__) + '/evil.py', 'w')\nreturn 1")
                .matches("PermissionError|OSError"));
    }

    @Test
    void noThreadsNoNativeCodeNoProcesses() {
        assertThrows(PolyglotException.class, () -> context.eval("python",
                "import threading\nt = threading.Thread(target=print)\nt.start()"));
        assertTrue(outcome("import ctypes\nreturn ctypes.CDLL(None)").matches("ImportError|ModuleNotFoundError"));
        assertEquals("ModuleNotFoundError", outcome("import crypt\nreturn crypt"));
        assertThrows(PolyglotException.class, () -> context.eval("python", "import os\nos.system('true')"));
        // the native-extension modules of the seed are not bundled (see docs/third-party-modules.md)
        for (String module : new String[] {"numpy", "pandas", "matplotlib"}) {
            assertEquals("ModuleNotFoundError", outcome("import " + module + "\nreturn 1"), module);
        }
    }

    @Test
    void unicodedataWorksWithoutItsNativeModule() {
        assertEquals("ok: (230, 'W', 'Na', '0065 0301', 0.5, 'a')", outcome("""
                import unicodedata
                return (unicodedata.combining('\\u0301'), unicodedata.east_asian_width('\\u4e2d'),
                        unicodedata.east_asian_width('a'), unicodedata.decomposition('\\u00e9'),
                        unicodedata.numeric('\\u00bd'), unicodedata.lookup('LATIN SMALL LETTER A'))
                """));
        // stringprep (so encodings.idna, requests and passlib) imports ucd_3_2_0
        assertEquals("ok: (True, 'xn--bcher-kva')", outcome("""
                import stringprep, encodings.idna
                return (stringprep.in_table_c12('\\u00a0'), 'b\\u00fccher'.encode('idna').decode())
                """));
    }

    @Test
    void statementsSeeTheDialectNotTheBundleInternals() throws Exception {
        StatementException e = assertThrows(StatementException.class,
                () -> ThirdPartyTestSupport.run("import restricted_sandbox\nreturn []", false));
        assertEquals("ImportError", e.failure().type());
        Map<String, Object> item = ThirdPartyTestSupport.runOne("import yaml\nreturn [{'v': yaml.safe_dump([1])}]");
        assertEquals("- 1\n", item.get("v"));
    }
}
