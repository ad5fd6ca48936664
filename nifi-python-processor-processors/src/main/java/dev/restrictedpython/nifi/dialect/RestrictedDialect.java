package dev.restrictedpython.nifi.dialect;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The restricted-Python dialect: its rules live in {@code restricted_dialect.py} (they walk Python's own AST);
 * this class hands that module to the runtime, which installs it in every context before compiling a statement.
 */
public final class RestrictedDialect {

    public static final String MODULE_NAME = "restricted_dialect";

    private static final String SOURCE = load(MODULE_NAME + ".py");

    private RestrictedDialect() {
    }

    public static String source() {
        return SOURCE;
    }

    private static String load(String name) {
        try (InputStream in = RestrictedDialect.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
