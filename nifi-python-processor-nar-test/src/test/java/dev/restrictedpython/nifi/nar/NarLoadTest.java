package dev.restrictedpython.nifi.nar;

import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.json.JsonRecordSetWriter;
import org.apache.nifi.json.JsonTreeReader;
import org.apache.nifi.processor.Processor;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.reporting.InitializationException;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Loads the built NAR the way NiFi does and runs ExecuteRestrictedPython from it: a class loader over the NAR's
 * bundled jars, with NiFi's API (and the standard services API NAR) on the parent, the processor found through
 * {@code META-INF/services/org.apache.nifi.processor.Processor}, and the thread context class loader set to the NAR's
 * loader around every call into the component, as NiFi's {@code NarCloseable.withComponentNarLoader} does.
 *
 * <p>The test class path has no class of the processor and none of GraalVM (see the pom), so every such class the
 * test meets came from the NAR. Truffle gives its JIT and native access to the first class loader of a JVM that
 * loads it; surefire runs this class in a fresh JVM of its own, where {@link #primaryLoader} is that first one.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NarLoadTest {

    private static final String PROCESSOR_CLASS = "dev.restrictedpython.nifi.processor.ExecuteRestrictedPython";
    private static final String SANDBOX_CLASS = "dev.restrictedpython.nifi.runtime.PythonSandbox";
    private static final String WATCHDOG_THREAD = "restricted-python-watchdog";

    private static final String STATEMENT = "row = INPUT_DATA[0]\nreturn [{\"id\": row[\"id\"], \"double\": row[\"n\"] * 2}]";
    private static final String INPUT = "[{\"id\":1,\"n\":2},{\"id\":2,\"n\":5}]";
    private static final String EXPECTED_OUTPUT = "[{\"id\":1,\"double\":4},{\"id\":2,\"double\":10}]";

    /** Thread names that hint at GraalVM, Truffle or GraalPy. */
    private static final Pattern GRAAL_THREAD = Pattern.compile("(?i).*(graal|truffle|polyglot|python|engine|jvmci|libgraal).*");

    private static NarBundle nar;
    private static ChildFirstNarClassLoader primaryLoader;
    private static final List<ClassLoader> narLoaders = new ArrayList<>();

    @BeforeAll
    static void unpackNar() throws IOException {
        Path narFile = Path.of(requiredProperty("nar.file"));
        assertTrue(Files.isRegularFile(narFile), "the NAR under test is missing: " + narFile);
        nar = NarBundle.unpack(narFile, Path.of(requiredProperty("nar.work.directory"), "primary"));
        primaryLoader = newNarLoader("nar-primary", nar);
    }

    @AfterAll
    static void closeLoaders() throws IOException {
        for (ClassLoader loader : narLoaders) {
            ((ChildFirstNarClassLoader) loader).close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 1. What the NAR holds
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void manifestNamesTheNarAndItsParentNar() {
        assertEquals("nifi-python-processor-nar", nar.manifestValue("Nar-Id"));
        assertEquals("dev.restrictedpython", nar.manifestValue("Nar-Group"));
        assertNotNull(nar.manifestValue("Nar-Version"));
        assertEquals("nifi-standard-services-api-nar", nar.manifestValue("Nar-Dependency-Id"));
        assertEquals("org.apache.nifi", nar.manifestValue("Nar-Dependency-Group"));
    }

    @Test
    @Order(2)
    void bundlesGraalPyButNothingThatNiFiProvides() {
        List<String> jars = nar.jarNames();
        System.out.println("[nar-test] bundled jars: " + jars);
        assertTrue(hasJar(jars, "nifi-python-processor-processors-"), "the processor jar: " + jars);
        for (String graal : List.of("polyglot-", "truffle-api-", "truffle-runtime-", "python-language-",
                "python-resources-", "python-embedding-")) {
            assertTrue(hasJar(jars, graal), graal + "*.jar should be bundled: " + jars);
        }
        // NiFi's lib/ gives every NAR nifi-api, and nifi-standard-services-api-nar (this NAR's parent) gives
        // nifi-record and the record service APIs: a second copy inside the NAR risks two Processor or
        // RecordReaderFactory classes (class identity) and at best is dead weight, never loaded by NiFi's
        // parent-first NarClassLoader. slf4j-api comes with NiFi's lib/ as well, bound to its logback.
        List<String> providedByNiFi = jars.stream()
                .filter(jar -> jar.startsWith("nifi-api-") || jar.startsWith("nifi-record-")
                        || jar.startsWith("nifi-record-serialization-service-api-")
                        || jar.startsWith("nifi-schema-registry-service-api-")
                        || jar.startsWith("slf4j-api-"))
                .toList();
        assertEquals(List.of(), providedByNiFi, "the NAR bundles jars that NiFi provides");
    }

    @Test
    @Order(3)
    void testClassPathHasNeitherTheProcessorNorGraalVm() {
        ClassLoader testLoader = NarLoadTest.class.getClassLoader();
        for (String name : List.of(PROCESSOR_CLASS, SANDBOX_CLASS, "org.graalvm.polyglot.Engine",
                "com.oracle.truffle.api.TruffleLanguage", "com.oracle.graal.python.PythonLanguage")) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, testLoader),
                    name + " must only be in the NAR");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // 2-3. The processor from the NAR's class loader
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(10)
    void serviceLoaderFindsTheProcessorInTheNar() throws Exception {
        Processor processor = newProcessor(primaryLoader);
        Class<?> type = processor.getClass();
        assertEquals(PROCESSOR_CLASS, type.getName());
        assertSame(primaryLoader, type.getClassLoader(), "the processor class must come from the NAR loader");
        // NiFi's types are the parent's: otherwise NiFi could not call the processor at all
        assertSame(Processor.class, primaryLoader.loadClass(Processor.class.getName()));
        assertSame(Processor.class.getClassLoader(), primaryLoader.getParent());
        // GraalVM comes from the NAR
        assertSame(primaryLoader, primaryLoader.loadClass("org.graalvm.polyglot.Engine").getClassLoader());
        assertSame(primaryLoader, primaryLoader.loadClass("com.oracle.truffle.api.TruffleLanguage").getClassLoader());
    }

    @Test
    @Order(11)
    void runsAStatementFromTheNar() {
        Processor processor = newProcessor(primaryLoader);
        TestRunner runner = jsonRunner(primaryLoader, processor);
        // the first run starts Truffle in this JVM: the first loader gets TruffleAttach without a word
        String printed = capturingStandardStreams(() -> withNarLoader(primaryLoader, () -> {
            runner.enqueue(INPUT);
            runner.run();
            return null;
        }));
        assertSuccess(runner);
        assertFalse(printed.contains("TruffleAttach"), printed);
    }

    // ---------------------------------------------------------------------------------------------------------
    // 4. Two instances, stop/start cycles, no leaked contexts or threads
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(20)
    void twoInstancesSurviveStopStartCyclesWithoutLeaks() throws Exception {
        Processor first = newProcessor(primaryLoader);
        Processor second = newProcessor(primaryLoader);
        assertNotSame(first, second);
        TestRunner firstRunner = jsonRunner(primaryLoader, first);
        TestRunner secondRunner = jsonRunner(primaryLoader, second);

        // warm-up cycle: the shared Engine and the watchdog exist from here on (and from the earlier tests)
        cycle(firstRunner);
        cycle(secondRunner);
        List<Thread> before = settledNarThreads();
        report("NAR threads after the first cycle", before);

        // both scheduled at once: each has its own open contexts, then both stop
        Object firstPool = scheduleAndRun(firstRunner, first);
        Object secondPool = scheduleAndRun(secondRunner, second);
        List<Object> openContexts = new ArrayList<>(contextsOf(firstPool));
        openContexts.addAll(contextsOf(secondPool));
        assertFalse(openContexts.isEmpty(), "a scheduled processor holds its contexts");
        for (Object context : openContexts) {
            assertFalse(isClosed(context), "a scheduled processor's context is open");
        }
        List<Thread> whileScheduled = narThreads();
        report("NAR threads while both instances are scheduled (" + openContexts.size() + " open contexts)",
                whileScheduled);
        // GraalPy gives each context an AsyncHandler: a scheduled pool of up to 6 daemon threads "python-actions-*"
        // (GIL release, async actions), shut down when the context closes.
        long actionThreads = whileScheduled.stream().filter(thread -> thread.getName().startsWith("python-actions-")).count();
        assertTrue(actionThreads <= 6L * openContexts.size(), actionThreads + " python-actions threads for "
                + openContexts.size() + " contexts");
        stop(firstRunner);
        stop(secondRunner);
        report("NAR threads right after both stopped", narThreads());
        for (Object context : openContexts) {
            assertTrue(isClosed(context), "@OnStopped must close every context of the processor");
        }
        assertNull(field(first, "pool"), "a stopped processor keeps no pool");
        assertNull(field(second, "pool"), "a stopped processor keeps no pool");

        for (int i = 0; i < 5; i++) {
            cycle(firstRunner);
            cycle(secondRunner);
            cycleWithOwnCalls(firstRunner);
        }
        List<Thread> after = settledNarThreads();
        report("NAR threads after 17 more stop/start cycles", after);

        // What stays while no processor is scheduled: the watchdog of this class loader and, with the JIT, Truffle's
        // compiler threads (one pool for the whole Truffle runtime, sized by the number of cores). Nothing per
        // processor instance, per context or per cycle.
        assertEquals(List.of(WATCHDOG_THREAD), names(withoutCompilerThreads(before)), "NAR threads: " + names(before));
        assertEquals(names(withoutCompilerThreads(before)), names(withoutCompilerThreads(after)),
                "stop/start cycles must not leave threads behind");
        long compilerThreads = after.size() - withoutCompilerThreads(after).size();
        assertTrue(compilerThreads <= Runtime.getRuntime().availableProcessors(),
                compilerThreads + " Truffle compiler threads: " + names(after));
        if (!isJitEnabled(primaryLoader)) {
            assertEquals(0, compilerThreads, "no compiler threads without the JIT: " + names(after));
        }
    }

    /** Schedules, runs once and stops, the way TestRunner does it: @OnScheduled, onTrigger, @OnUnscheduled, @OnStopped. */
    private static void cycle(TestRunner runner) {
        withNarLoader(primaryLoader, () -> {
            runner.clearTransferState();
            runner.enqueue(INPUT);
            runner.run(1, true, true);
            return null;
        });
        assertSuccess(runner);
    }

    /** The same cycle as NiFi drives it when a user stops and starts the processor: run, then stop separately. */
    private static void cycleWithOwnCalls(TestRunner runner) {
        withNarLoader(primaryLoader, () -> {
            runner.clearTransferState();
            runner.enqueue(INPUT);
            runner.run(1, false, true);
            runner.unSchedule();
            runner.stop();
            return null;
        });
        assertSuccess(runner);
    }

    private static Object scheduleAndRun(TestRunner runner, Processor processor) throws Exception {
        withNarLoader(primaryLoader, () -> {
            runner.clearTransferState();
            runner.enqueue(INPUT);
            runner.run(1, false, true);
            return null;
        });
        assertSuccess(runner);
        Object pool = field(processor, "pool");
        assertNotNull(pool, "a scheduled processor holds its pool of contexts");
        return pool;
    }

    private static void stop(TestRunner runner) {
        withNarLoader(primaryLoader, () -> {
            runner.unSchedule();
            runner.stop();
            return null;
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // 5. JIT or interpreter
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(30)
    void reportsWhetherTheJitIsActiveInTheNarLoader() throws Exception {
        boolean jit = isJitEnabled(primaryLoader);
        String implementation = engineImplementation(primaryLoader);
        System.out.println("[nar-test] first NAR loader: JIT " + (jit ? "enabled" : "disabled (interpreter only)")
                + ", engine implementation '" + implementation + "', java.vm.name=" + System.getProperty("java.vm.name")
                + ", java.version=" + System.getProperty("java.version"));
        // Truffle's optimizing runtime needs the Graal compiler: on a plain JDK (no compiler on the upgrade module
        // path, no GraalVM JDK) the engine runs interpreted, which is expected.
        assertEquals(hasGraalCompiler(), jit, "JIT state for engine implementation '" + implementation + "'");
    }

    // ---------------------------------------------------------------------------------------------------------
    // 6. A second, independent NAR class loader with its own copy of GraalVM polyglot
    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(40)
    void aSecondNarLoaderWithItsOwnGraalVmRunsInterpretedAfterAWarning() throws Exception {
        NarBundle copy = NarBundle.unpack(Path.of(requiredProperty("nar.file")),
                Path.of(requiredProperty("nar.work.directory"), "second"));
        ChildFirstNarClassLoader secondLoader = newNarLoader("nar-second", copy);

        Processor processor = newProcessor(secondLoader);
        assertSame(secondLoader, processor.getClass().getClassLoader());
        Class<?> firstEngine = primaryLoader.loadClass("org.graalvm.polyglot.Engine");
        Class<?> secondEngine = secondLoader.loadClass("org.graalvm.polyglot.Engine");
        assertNotSame(firstEngine, secondEngine, "each NAR loader has its own GraalVM polyglot");

        TestRunner runner = jsonRunner(secondLoader, processor);
        String printed = capturingStandardStreams(() -> withNarLoader(secondLoader, () -> {
            runner.enqueue(INPUT);
            runner.run();
            return null;
        }));
        System.out.println("[nar-test] second NAR loader printed: " + (printed.isBlank() ? "(nothing)" : printed));
        assertSuccess(runner);
        // What a second copy of Truffle in the same JVM gets: the JVM loads a JNI library into one class loader
        // only, and the first loader that loaded Truffle already holds TruffleAttach. Truffle warns once and carries
        // on without the optimizing runtime and without native access (which our contexts do not use).
        assertTrue(printed.contains("[engine] WARNING: Unable to load the TruffleAttach library."), printed);
        assertTrue(printed.contains("the optimized Truffle runtime is unavailable, and Truffle cannot provide native "
                + "access to languages and tools"), printed);

        boolean firstJit = isJitEnabled(primaryLoader);
        boolean secondJit = isJitEnabled(secondLoader);
        System.out.println("[nar-test] second NAR loader: JIT " + (secondJit ? "enabled" : "disabled (interpreter only)")
                + ", engine implementation '" + engineImplementation(secondLoader) + "'; first loader JIT " + firstJit);
        // The second copy of Truffle never gets the JIT, even where the first one has it (mvn test -Djit).
        assertFalse(secondJit, "a second class loader with its own Truffle runs interpreted");
        assertEquals(hasGraalCompiler(), firstJit, "the first loader keeps what it had");

        // and the first loader still works after the second one ran
        Processor again = newProcessor(primaryLoader);
        TestRunner againRunner = jsonRunner(primaryLoader, again);
        withNarLoader(primaryLoader, () -> {
            againRunner.enqueue(INPUT);
            againRunner.run();
            return null;
        });
        assertSuccess(againRunner);
        report("threads of both NAR loaders at the end", narThreads());
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers
    // ---------------------------------------------------------------------------------------------------------

    private static ChildFirstNarClassLoader newNarLoader(String name, NarBundle bundle) {
        ChildFirstNarClassLoader loader = new ChildFirstNarClassLoader(name, bundle.classPath(),
                NarLoadTest.class.getClassLoader());
        narLoaders.add(loader);
        return loader;
    }

    /** Finds the processor as NiFi's extension discovery does and makes a new instance of it. */
    private static Processor newProcessor(ClassLoader narLoader) {
        return withNarLoader(narLoader, () -> {
            List<ServiceLoader.Provider<Processor>> found = ServiceLoader.load(Processor.class, narLoader).stream()
                    .filter(provider -> provider.type().getName().equals(PROCESSOR_CLASS))
                    .toList();
            assertEquals(1, found.size(), "the NAR declares ExecuteRestrictedPython once");
            ServiceLoader.Provider<Processor> provider = found.getFirst();
            assertSame(narLoader, provider.type().getClassLoader());
            return provider.get();
        });
    }

    private static TestRunner jsonRunner(ClassLoader narLoader, Processor processor) {
        return withNarLoader(narLoader, () -> {
            TestRunner runner = TestRunners.newTestRunner(processor);
            try {
                JsonTreeReader reader = new JsonTreeReader();
                runner.addControllerService("reader", reader);
                runner.enableControllerService(reader);
                JsonRecordSetWriter writer = new JsonRecordSetWriter();
                runner.addControllerService("writer", writer);
                runner.enableControllerService(writer);
            } catch (InitializationException e) {
                throw new IllegalStateException(e);
            }
            runner.setProperty(descriptor(processor, "Record Reader"), "reader");
            runner.setProperty(descriptor(processor, "Record Writer"), "writer");
            runner.setProperty(descriptor(processor, "Statement"), STATEMENT);
            runner.setProperty(descriptor(processor, "Processing Mode"), "Row by row");
            runner.assertValid();
            return runner;
        });
    }

    private static PropertyDescriptor descriptor(Processor processor, String name) {
        return processor.getPropertyDescriptors().stream()
                .filter(descriptor -> descriptor.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no property " + name));
    }

    private static void assertSuccess(TestRunner runner) {
        Relationship success = new Relationship.Builder().name("success").build();
        Relationship failure = new Relationship.Builder().name("failure").build();
        List<MockFlowFile> failed = runner.getFlowFilesForRelationship(failure);
        if (!failed.isEmpty()) {
            fail("the statement failed: " + failed.getFirst().getAttributes());
        }
        runner.assertTransferCount(success, 1);
        MockFlowFile out = runner.getFlowFilesForRelationship(success).getFirst();
        assertEquals(EXPECTED_OUTPUT, compact(new String(out.toByteArray(), StandardCharsets.UTF_8)));
        out.assertAttributeEquals("record.count", "2");
    }

    /** As NiFi's NarCloseable.withComponentNarLoader: the component's NAR loader is the thread's context loader. */
    private static <T> T withNarLoader(ClassLoader narLoader, Callable<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(narLoader);
        try {
            return call.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static boolean isJitEnabled(ClassLoader narLoader) throws Exception {
        Class<?> sandbox = narLoader.loadClass(SANDBOX_CLASS);
        return withNarLoader(narLoader, () -> (Boolean) sandbox.getMethod("isJitEnabled").invoke(null));
    }

    private static String engineImplementation(ClassLoader narLoader) throws Exception {
        Class<?> sandbox = narLoader.loadClass(SANDBOX_CLASS);
        return withNarLoader(narLoader, () -> {
            var engineMethod = sandbox.getDeclaredMethod("engine");
            engineMethod.setAccessible(true);
            Object engine = engineMethod.invoke(null);
            return (String) engine.getClass().getMethod("getImplementationName").invoke(engine);
        });
    }

    /** True when this JVM can give Truffle the Graal compiler: a GraalVM JDK, or the compiler on the upgrade module path. */
    private static boolean hasGraalCompiler() {
        return ModuleLayer.boot().findModule("jdk.graal.compiler").isPresent()
                || ModuleLayer.boot().findModule("jdk.internal.vm.compiler").isPresent();
    }

    /** The polyglot Contexts of a processor's StatementPool (its PythonStatements' contexts). */
    private static List<Object> contextsOf(Object pool) throws Exception {
        List<Object> contexts = new ArrayList<>();
        for (Object statement : (List<?>) field(pool, "all")) {
            contexts.add(Objects.requireNonNull(field(statement, "context")));
        }
        return contexts;
    }

    /** A context closed by {@code close(true)} answers every call with "cancelled"; one closed normally with "closed". */
    private static boolean isClosed(Object context) throws Exception {
        try {
            context.getClass().getMethod("getBindings", String.class).invoke(context, "python");
            return false;
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalStateException && String.valueOf(cause.getMessage()).contains("closed")) {
                return true;
            }
            if (cause.getClass().getName().equals("org.graalvm.polyglot.PolyglotException")
                    && (Boolean) cause.getClass().getMethod("isCancelled").invoke(cause)) {
                return true;
            }
            throw e;
        }
    }

    private static Object field(Object target, String name) throws Exception {
        Field field = target.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }

    /**
     * Live threads that belong to a NAR: their context class loader is a NAR loader (threads the NAR's code
     * starts inherit it), or their name hints at GraalVM, Truffle or GraalPy.
     */
    private static List<Thread> narThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .filter(thread -> narLoaders.contains(thread.getContextClassLoader())
                        || GRAAL_THREAD.matcher(thread.getName()).matches())
                .sorted(Comparator.comparing(Thread::getName))
                .toList();
    }

    /**
     * The NAR threads once no context is open and the threads of closed contexts have ended: GraalPy's
     * "python-actions-*" threads of a context end shortly after it closes. Waits up to 10 s for them to go.
     */
    private static List<Thread> settledNarThreads() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Thread> threads = narThreads();
        while (threads.stream().anyMatch(thread -> thread.getName().startsWith("python-actions-"))
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            threads = narThreads();
        }
        return threads;
    }

    private static List<Thread> withoutCompilerThreads(List<Thread> threads) {
        return threads.stream().filter(thread -> !thread.getName().startsWith("TruffleCompilerThread")).toList();
    }

    private static List<String> names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).toList();
    }

    private static void report(String title, List<Thread> threads) {
        StringBuilder text = new StringBuilder("[nar-test] " + title + " (" + threads.size() + "):");
        for (Thread thread : threads) {
            ClassLoader loader = thread.getContextClassLoader();
            text.append("\n[nar-test]   '").append(thread.getName()).append("' daemon=").append(thread.isDaemon())
                    .append(" virtual=").append(thread.isVirtual())
                    .append(" contextLoader=").append(loader == null ? "null" : loader.getName());
        }
        System.out.println(text);
    }

    /** Runs {@code call} while System.out and System.err also go to a buffer; returns what was printed. */
    private static String capturingStandardStreams(Runnable call) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(out, buffer), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(err, buffer), true, StandardCharsets.UTF_8));
        try {
            call.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buffer.toString(StandardCharsets.UTF_8).trim();
    }

    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }

    private static boolean hasJar(List<String> jars, String prefix) {
        return jars.stream().anyMatch(jar -> jar.startsWith(prefix));
    }

    /** JSON text without the whitespace the writer may put in, so the test compares values, not layout. */
    private static String compact(String json) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            }
            if (inString || !Character.isWhitespace(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        assertNotNull(value, "system property " + name + " (set by the pom's surefire configuration)");
        return value;
    }
}
