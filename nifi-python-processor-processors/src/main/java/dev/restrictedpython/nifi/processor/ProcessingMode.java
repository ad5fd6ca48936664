package dev.restrictedpython.nifi.processor;

import org.apache.nifi.components.DescribedValue;

/** How many times the statement runs per FlowFile. */
public enum ProcessingMode implements DescribedValue {
    ROW_BY_ROW("Row by row", "The statement runs once per record, with INPUT_DATA holding that one record. "
            + "Records stream through: memory stays bounded whatever the FlowFile size."),
    BULK("Bulk", "The statement runs once per FlowFile, with INPUT_DATA holding every record of it.");

    private final String displayName;
    private final String description;

    ProcessingMode(String displayName, String description) {
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
