package dev.restrictedpython.nifi.records;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.TimeZone;

/**
 * {@code @ExtendWith(UtcTimeZone.class)}: each test starts with the JVM's default zone set to UTC (a test may move
 * it to prove a value does not depend on it) and the zone the JVM had is put back afterwards.
 */
public final class UtcTimeZone implements BeforeEachCallback, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(UtcTimeZone.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("zone", TimeZone.getDefault());
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TimeZone.setDefault(context.getStore(NAMESPACE).get("zone", TimeZone.class));
    }
}
