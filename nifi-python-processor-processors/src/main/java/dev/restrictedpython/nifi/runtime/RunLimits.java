package dev.restrictedpython.nifi.runtime;

import java.time.Duration;

/**
 * Bounds on one run of the statement (in row-by-row mode, one record): how long it may take and how many bytes
 * its thread may allocate. Both are enforced from outside the statement by {@link RunWatchdog}.
 */
public record RunLimits(Duration timeout, long allocationLimitBytes) {

    public RunLimits {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        if (allocationLimitBytes <= 0) {
            throw new IllegalArgumentException("allocation limit must be positive");
        }
    }
}
