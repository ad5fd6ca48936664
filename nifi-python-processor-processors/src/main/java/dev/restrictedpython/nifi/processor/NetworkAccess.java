package dev.restrictedpython.nifi.processor;

import org.apache.nifi.components.DescribedValue;

/** Whether the statement may open sockets. */
public enum NetworkAccess implements DescribedValue {
    ALLOWED("Allowed", "The statement may open network connections (for example with httpx) to any address "
            + "this NiFi node can reach."),
    DENIED("Denied", "The statement cannot open any socket.");

    private final String displayName;
    private final String description;

    NetworkAccess(String displayName, String description) {
        this.displayName = displayName;
        this.description = description;
    }

    @Override
    public String getValue() {
        return displayName;
    }

    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public String getDescription() {
        return description;
    }
}
