package dev.restrictedpython.nifi.runtime;

import java.time.Duration;

/** Durations and sizes as a sentence shows them. */
final class Durations {

    private Durations() {
    }

    static String describe(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        long seconds = millis / 1000;
        return seconds == 1 ? "1 second" : seconds + " seconds";
    }

    static String describeBytes(long bytes) {
        long mebibytes = bytes / (1024 * 1024);
        return mebibytes >= 1 ? mebibytes + " MB" : bytes + " bytes";
    }
}
