package dev.restrictedpython.nifi.dialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The restricted-Python dialect: its rules live in {@code restricted_dialect.py} (they walk Python's own AST, with
 * the helpers of {@code restricted_syntax.py}); this class hands those modules to the runtime, which installs them
 * in every context before compiling a statement.
 */
public final class RestrictedDialect {

    /** One Python module of the dialect: the name it is imported by, and its source. */
    public record Module(String name, String source) {
    }

    /** The module whose {@code check}, {@code transform} and {@code lock_down_interpreter} the runtime calls. */
    public static final String MODULE_NAME = "restricted_dialect";

    private static final List<Module> MODULES = List.of(load("restricted_syntax"), load(MODULE_NAME));

    private RestrictedDialect() {
    }

    /** The dialect's modules in the order to install them: each may import the ones before it. */
    public static List<Module> modules() {
        return MODULES;
    }

    private static Module load(String name) {
        try (InputStream in = RestrictedDialect.class.getResourceAsStream(name + ".py")) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + ".py");
            }
            return new Module(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
