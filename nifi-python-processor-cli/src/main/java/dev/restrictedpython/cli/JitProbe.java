package dev.restrictedpython.cli;

import org.graalvm.polyglot.Engine;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Run by the launcher once per JDK with the Graal compiler options: prints the polyglot engine's implementation name
 * and exits 0 when Truffle took the compiler ("GraalVM CE"-like), 1 when it runs interpreter-only ("Interpreted").
 * The launcher remembers the answer in target/ and adds the options to every later run only on 0.
 */
public final class JitProbe {

    private JitProbe() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        // Truffle explains an incompatible compiler on stderr; the launcher says it in one line of its own.
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        String name;
        try (Engine engine = Engine.newBuilder().option("engine.WarnInterpreterOnly", "false").build()) {
            name = engine.getImplementationName();
        } catch (RuntimeException | LinkageError e) {
            out.println("error: " + e);
            System.exit(1);
            return;
        }
        out.println(name);
        System.exit(isCompiled(name) ? 0 : 1);
    }

    static boolean isCompiled(String implementationName) {
        return implementationName != null && !implementationName.toLowerCase().contains("interpreted");
    }
}
