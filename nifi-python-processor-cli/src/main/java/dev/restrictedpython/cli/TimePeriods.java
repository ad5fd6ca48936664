package dev.restrictedpython.cli;

import org.apache.nifi.time.DurationFormat;

import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --timeout} values. NiFi's time periods already accept the short forms ({@code 10s}, {@code 500ms},
 * {@code 2m}, {@code 1h}) as well as {@code 10 sec} and {@code 500 millis}, so a value is checked against NiFi's own
 * pattern here (to fail as a bad argument, with a clear message) and handed to the processor as written.
 */
final class TimePeriods {

    private TimePeriods() {
    }

    static String parse(String text) throws UsageException {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        if (!DurationFormat.TIME_DURATION_PATTERN.matcher(trimmed).matches()) {
            throw new UsageException("--timeout: '" + text + "' is not a duration; use for example 10s, 500ms, 2m, 1h, "
                    + "\"10 sec\" or \"500 millis\"");
        }
        try {
            if (DurationFormat.getPreciseTimeDuration(trimmed, TimeUnit.MILLISECONDS) <= 0) {
                throw new UsageException("--timeout: '" + text + "' must be longer than zero");
            }
        } catch (IllegalArgumentException e) {
            throw new UsageException("--timeout: '" + text + "' is not a duration: " + e.getMessage());
        }
        return trimmed;
    }
}
