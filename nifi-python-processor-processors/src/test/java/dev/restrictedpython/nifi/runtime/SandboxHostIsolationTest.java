package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.TimeZone;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host-level sandbox holds on its own, with the dialect bypassed: hostile Python runs with the real builtins
 * and every module, directly in a context from {@link PythonSandbox#newContext}, and must still reach nothing of
 * the host. Each case asserts the attempt fails (or, where noted, yields nothing of the host) and that nothing
 * happened: no host file read (a canary file's secret appears nowhere) or created, no process (it would have
 * touched a file), no environment value, no connection, the JVM's time zone unchanged, the JVM alive and a new
 * context working.
 *
 * <p>Process-wide state: GraalPy 25.0 lets any context raise signals in the JVM, install JVM signal handlers and
 * set the JVM's default time zone. {@code restricted_dialect.lock_down_interpreter()} closes these doors; statement
 * contexts call it when they compile a statement. Until {@link PythonSandbox} calls it when it builds a context,
 * this test calls it the same way, right after building the context and before any hostile code.
 */
class SandboxHostIsolationTest {

    @TempDir
    static Path hostDir;
    private static HostCanary host;
    private static Context context;
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeAll
    static void setUp() throws IOException {
        host = new HostCanary(hostDir);
        context = lockedDown(PythonSandbox.newContext(false, output, output));
    }

    @AfterAll
    static void tearDown() throws IOException {
        try (HostCanary closing = host) {
            context.close(true);
            assertFalse(output.toString(StandardCharsets.UTF_8).contains(host.secret()), "nothing printed the canary");
            assertEquals(HostCanary.ZONE, TimeZone.getDefault().getID(), "the JVM's time zone is unchanged");
        }
    }

    /** As the runtime does before a statement compiles: the glue and dialect loaded, the lock-down applied. */
    private static Context lockedDown(Context context) {
        PythonStatement.loadGlue(context);
        return context;
    }

    enum Expect { FAILS, VALUE }

    /** Hostile code; FAILS: any error (guest, host or exit) with {@code type} if given; VALUE: evaluates to it. */
    record Attack(String name, Expect expect, String type, String source) {
    }

    private static Attack fails(String name, String source) {
        return new Attack(name, Expect.FAILS, null, source);
    }

    private static Attack failsWith(String name, String type, String source) {
        return new Attack(name, Expect.FAILS, type, source);
    }

    private static Attack value(String name, String expected, String source) {
        return new Attack(name, Expect.VALUE, expected, source);
    }

    private static List<Attack> attacks() {
        return List.of(
                // host files: read
                fails("open a host file", "open('{CANARY}').read()"),
                fails("open /etc/passwd", "open('/etc/passwd').read()"),
                fails("_io.FileIO", "import _io\n_io.FileIO('{CANARY}').read()"),
                fails("os.open", "import os\nos.read(os.open('{CANARY}', os.O_RDONLY), 100)"),
                fails("os.listdir", "import os\nos.listdir('{DIR}')"),
                fails("os.stat", "import os\nos.stat('{CANARY}')"),
                value("os.path.exists sees nothing", "False", "import os\nos.path.exists('{CANARY}')"),
                fails("__graalpython__.read_file", "import __graalpython__\n__graalpython__.read_file('{CANARY}')"),
                fails("/proc/self/environ", "open('/proc/self/environ').read()"),
                fails("/proc/self/cmdline", "open('/proc/self/cmdline').read()"),
                fails("file URL", "import urllib.request\nurllib.request.urlopen('file://{CANARY}').read()"),
                fails("mmap of a host file", "import mmap, os\nmmap.mmap(os.open('{CANARY}', os.O_RDONLY), 0)"),
                fails("zipimport of a host file", "import zipimport\nzipimport.zipimporter('{CANARY}')"),
                fails("source loader of a host file",
                        "import importlib.machinery\nimportlib.machinery.SourceFileLoader('x', '{CANARY}').get_data('{CANARY}')"),
                value("the working directory is not the host's", "True", "import os\nos.getcwd() != '{HOSTCWD}'"),
                // host files: write
                fails("create a file", "open('{DIR}/created.txt', 'w').write('x')"),
                fails("os.mkdir", "import os\nos.mkdir('{DIR}/newdir')"),
                fails("os.symlink", "import os\nos.symlink('{CANARY}', '{DIR}/link')"),
                fails("os.rename", "import os\nos.rename('{CANARY}', '{DIR}/moved')"),
                fails("os.remove", "import os\nos.remove('{CANARY}')"),
                fails("os.chmod", "import os\nos.chmod('{CANARY}', 0o777)"),
                fails("os.chdir", "import os\nos.chdir('/')"),
                fails("shutil.copy", "import shutil\nshutil.copy('{CANARY}', '{DIR}/copy')"),
                fails("tempfile", "import tempfile\ntempfile.mkstemp(dir='{DIR}')"),
                value("no writable directory on sys.path (language home, bundled packages)", "[]", """
                        import sys
                        writable = []
                        for entry in sys.path:
                            try:
                                open(entry + '/zz_sandbox_probe.py', 'w').close()
                                writable.append(entry)
                            except BaseException:
                                pass
                        writable"""),
                // processes
                fails("os.system", "import os\nos.system('touch {DIR}/p1')"),
                fails("subprocess.run", "import subprocess\nsubprocess.run(['touch', '{DIR}/p2'])"),
                fails("subprocess.Popen shell", "import subprocess\nsubprocess.Popen('touch {DIR}/p3', shell=True)"),
                fails("os.popen", "import os\nos.popen('touch {DIR}/p4').read()"),
                fails("os.execv", "import os\nos.execv('/usr/bin/touch', ['touch', '{DIR}/p5'])"),
                fails("os.fork", "import os\nos.fork()"),
                fails("posix.posix_spawn", "import posix\nposix.posix_spawn('/usr/bin/touch', ['touch', '{DIR}/p6'], {})"),
                fails("_posixsubprocess.fork_exec", """
                        import _posixsubprocess, os
                        r, w = os.pipe()
                        pid = _posixsubprocess.fork_exec([b'/usr/bin/touch', b'{DIR}/p7'], [b'/usr/bin/touch'], True,
                            (), None, None, -1, -1, -1, -1, -1, -1, r, w, False, False, 0, None, None, None, -1, None, False)
                        if pid <= 0:
                            raise ChildProcessError('no child process: %r' % os.read(r, 200))
                        pid"""),
                fails("pty.spawn", "import pty\npty.spawn(['touch', '{DIR}/p8'])"),
                fails("multiprocessing", "import multiprocessing\nmultiprocessing.Process(target=print).start()"),
                fails("pickle reduce to os.system", "import pickle\npickle.loads(b\"cos\\nsystem\\n(S'touch {DIR}/p9'\\ntR.\")"),
                fails("yaml apply to os.system",
                        "import yaml\nyaml.unsafe_load('!!python/object/apply:os.system [\"touch {DIR}/p10\"]')"),
                // environment
                value("os.getenv('PATH')", "True", "import os\nos.getenv('PATH') is None"),
                value("no host variable in os.environ", "False",
                        "import os\nany(k in os.environ for k in ('PATH', 'HOME', 'JAVA_HOME', 'USER', 'PWD'))"),
                // Java and other languages
                fails("java.type Runtime", "import java\njava.type('java.lang.Runtime')"),
                fails("java.type System", "import java\njava.type('java.lang.System').exit(3)"),
                fails("java package access", "import java\njava.lang.Runtime.getRuntime()"),
                fails("java.add_to_classpath", "import java\njava.add_to_classpath('{DIR}')"),
                fails("polyglot.eval", "import polyglot\npolyglot.eval(language='js', string='1')"),
                fails("polyglot.import_value", "import polyglot\npolyglot.import_value('x')"),
                fails("polyglot.eval of a file", "import polyglot\npolyglot.eval(path='{CANARY}', language='python')"),
                // native code
                fails("ctypes", "import ctypes\nctypes.CDLL('libc.so.6')"),
                fails("_ctypes.dlopen", "import _ctypes\n_ctypes.dlopen('libc.so.6')"),
                // threads
                fails("_thread.start_new_thread", "import _thread\n_thread.start_new_thread(print, ('x',))"),
                fails("threading.Thread", "import threading\nthreading.Thread(target=print).start()"),
                fails("ThreadPoolExecutor", "import concurrent.futures\nconcurrent.futures.ThreadPoolExecutor(1).submit(print).result()"),
                fails("faulthandler watchdog thread", "import faulthandler\nfaulthandler.dump_traceback_later(1)"),
                failsWith("signal.alarm (a JVM thread raising SIGALRM)", "PermissionError", "import signal\nsignal.alarm(1)"),
                failsWith("signal.setitimer", "PermissionError",
                        "import signal\nsignal.setitimer(signal.ITIMER_REAL, 0.1)"),
                // process-wide JVM state: signals, time zone
                failsWith("signal.raise_signal(SIGTERM) ends the JVM", "PermissionError", """
                        import signal
                        if signal.raise_signal.__name__ != '_refuse_signals':
                            raise AssertionError('not locked down: raising SIGTERM would end this JVM')
                        signal.raise_signal(signal.SIGTERM)"""),
                failsWith("_signal.raise_signal after a re-import", "PermissionError", """
                        import sys
                        sys.modules.pop('_signal', None)
                        import _signal
                        if _signal.raise_signal.__name__ != '_refuse_signals':
                            raise AssertionError('the re-import brought the real raise_signal back')
                        _signal.raise_signal(2)"""),
                failsWith("signal.signal(SIGTERM, SIG_IGN) deafens the JVM", "PermissionError", """
                        import signal
                        if signal.signal.__name__ != '_refuse_signals' and getattr(signal, '_signal').signal.__name__ != '_refuse_signals':
                            raise AssertionError('not locked down')
                        signal.signal(signal.SIGTERM, signal.SIG_IGN)"""),
                failsWith("importlib.reload(_signal)", "PermissionError", """
                        import importlib, _signal
                        fresh = importlib.reload(_signal)
                        if fresh.raise_signal.__name__ != '_refuse_signals':
                            raise AssertionError('reload brought the real raise_signal back')
                        fresh.raise_signal(15)"""),
                failsWith("time.tzset sets the JVM's time zone", "PermissionError", "import time\ntime.tzset()"),
                fails("os.kill of the JVM", "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)"),
                // network (denied for this context)
                fails("socket.create_connection", "import socket\nsocket.create_connection(('127.0.0.1', {PORT}), 2)"),
                fails("raw socket connect", "import _socket\n_socket.socket().connect(('127.0.0.1', {PORT}))"),
                fails("urllib over http", "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{PORT}/', timeout=2)"),
                fails("ssl socket", "import ssl\nssl.create_default_context().wrap_socket(ssl.socket.socket(), "
                        + "server_hostname='localhost').connect(('127.0.0.1', {PORT}))"),
                // interpreter limits
                failsWith("recursion with a raised limit", "RecursionError",
                        "import sys\nsys.setrecursionlimit(10 ** 7)\ndef f(n):\n    return f(n + 1)\nf(0)"),
                value("stdin is empty", "''", "import sys\nsys.stdin.read()"));
    }

    @TestFactory
    Stream<DynamicTest> hostileCodeReachesNothingOfTheHost() {
        return attacks().stream().map(attack -> DynamicTest.dynamicTest(attack.name(), () -> {
            int connectionsBefore = host.connections();
            String outcome = evaluate(context, attack.source());
            if (attack.expect() == Expect.VALUE) {
                assertEquals("value: " + attack.type(), outcome, attack.name());
            } else {
                assertFalse(outcome.startsWith("value:"), attack.name() + " was not refused: " + outcome);
                if (attack.type() != null) {
                    assertTrue(outcome.startsWith("error: " + attack.type() + ":"), outcome);
                }
            }
            assertNothingHappenedOnTheHost(outcome, connectionsBefore);
            assertEquals("value: 2", evaluate(context, "1 + 1"), "the context still works after " + attack.name());
        }));
    }

    /** Exits end the context, never the JVM: each runs in a context of its own. */
    @TestFactory
    Stream<DynamicTest> exitsEndTheContextNotTheJvm() {
        return Stream.of("import os\nos._exit(3)", "import sys\nsys.exit(4)", "raise SystemExit(5)",
                        "import posix\nposix._exit(6)", "import atexit, os\natexit.register(os._exit, 7)\nimport sys\nsys.exit(0)")
                .map(source -> DynamicTest.dynamicTest(source.replace('\n', ';'), () -> {
                    Context exiting = lockedDown(PythonSandbox.newContext(false, output, output));
                    String outcome;
                    try {
                        outcome = evaluate(exiting, source);
                    } finally {
                        exiting.close(true); // as PythonStatement closes its contexts
                    }
                    assertTrue(outcome.startsWith("exit: ") || outcome.startsWith("error: SystemExit"), outcome);
                    try (Context next = PythonSandbox.newContext(false, output, output)) {
                        assertEquals(2, next.eval(PythonSandbox.LANGUAGE, "1 + 1").asInt(), "a new context works");
                    }
                    assertNothingHappenedOnTheHost(outcome, host.connections());
                }));
    }

    /** value: repr, error: Type: message (a Python exception), host: ... (refused by the host), exit: status. */
    private static String evaluate(Context target, String template) {
        String source = host.fillIn(template.stripIndent().strip());
        try {
            Value result = target.eval(Source.newBuilder(PythonSandbox.LANGUAGE, source, "<hostile>").buildLiteral());
            return "value: " + (result.isNull() ? "None" : result.toString());
        } catch (PolyglotException e) {
            if (e.isExit()) {
                return "exit: " + e.getExitStatus();
            }
            if (e.isGuestException() && !e.isInternalError() && e.getGuestObject() != null
                    && e.getGuestObject().getMetaObject() != null) {
                return "error: " + e.getGuestObject().getMetaObject().getMetaSimpleName() + ": " + e.getMessage();
            }
            return "host: " + e.getMessage();
        }
    }

    private static void assertNothingHappenedOnTheHost(String outcome, int connectionsBefore) throws IOException {
        assertNotNull(outcome);
        host.assertUntouched(outcome, connectionsBefore);
    }
}
