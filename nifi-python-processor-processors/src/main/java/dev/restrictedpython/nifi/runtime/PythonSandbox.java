package dev.restrictedpython.nifi.runtime;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.io.IOAccess;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Owns the GraalPy {@link Engine} shared by every context of this class loader and builds the isolated
 * contexts that statements run in. This is the only place that decides what a statement can reach on the
 * host: nothing of the host file system (only the jar's read-only bundle of Python packages), no processes, no
 * native code, no Java classes, no other languages, no environment variables, and sockets only when the
 * processor allows network access.
 */
public final class PythonSandbox {

    static final String LANGUAGE = "python";

    /**
     * Only containers are visible to Python: arrays, lists and maps that the host hands over. No public member
     * of any Java object is, so a script cannot walk from a value to {@code getClass()} and reflection.
     */
    static final HostAccess HOST_ACCESS = HostAccess.newBuilder()
            .allowArrayAccess(true)
            .allowListAccess(true)
            .allowMapAccess(true)
            .build();

    private static volatile Engine sharedEngine;

    private PythonSandbox() {
    }

    /** The engine keeps compiled code across contexts; created on first use, lives as long as the class loader. */
    static Engine engine() {
        Engine engine = sharedEngine;
        if (engine == null) {
            synchronized (PythonSandbox.class) {
                engine = sharedEngine;
                if (engine == null) {
                    engine = Engine.newBuilder(LANGUAGE)
                            .option("engine.WarnInterpreterOnly", "false")
                            .build();
                    sharedEngine = engine;
                }
            }
        }
        return engine;
    }

    /** True when the Graal compiler is active for the shared engine; false when statements run interpreted. */
    public static boolean isJitEnabled() {
        String implementation = engine().getImplementationName();
        return implementation != null && !implementation.toLowerCase().contains("interpreted");
    }

    /**
     * A new context that sees nothing of the host beyond what {@code networkAllowed} grants. Its only file system
     * is the jar's read-only bundle of third-party packages ({@link BundledPackages}), already on {@code sys.path}.
     */
    static Context newContext(boolean networkAllowed, OutputStream stdout, OutputStream stderr) {
        BundledPackages packages = BundledPackages.get();
        IOAccess ioAccess = IOAccess.newBuilder()
                .fileSystem(packages.fileSystem())
                .allowHostSocketAccess(networkAllowed)
                .build();
        Context context = Context.newBuilder(LANGUAGE)
                .engine(engine())
                .sandbox(SandboxPolicy.TRUSTED)
                .allowHostAccess(HOST_ACCESS)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowCreateProcess(false)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowExperimentalOptions(false)
                .allowIO(ioAccess)
                .in(new ByteArrayInputStream(new byte[0]))
                .out(stdout)
                .err(stderr)
                .build();
        try {
            packages.addToPath(context);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
        return context;
    }

    /** The text of a Python file among this package's resources (the glue loaded into every context). */
    static String resourceText(String name) {
        try (InputStream in = PythonSandbox.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same as a Source named after the file, so that tracebacks and line numbers name it. */
    static Source resourceSource(String name) {
        return Source.newBuilder(LANGUAGE, resourceText(name), name).buildLiteral();
    }
}
