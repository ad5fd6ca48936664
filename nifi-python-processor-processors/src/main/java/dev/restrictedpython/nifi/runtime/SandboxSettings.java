package dev.restrictedpython.nifi.runtime;

/** What a processor's contexts are allowed: the network or not, and the limits of each run. */
public record SandboxSettings(boolean networkAllowed, RunLimits limits) {
}
