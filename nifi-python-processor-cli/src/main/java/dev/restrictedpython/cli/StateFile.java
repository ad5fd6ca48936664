package dev.restrictedpython.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code --state FILE}: the processor's whole cluster state as a JSON object of strings. The command does not
 * interpret the entries (the processor owns them); it only carries them from one run to the next.
 */
final class StateFile {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private StateFile() {
    }

    /** The state in {@code file}; a missing file is empty state. */
    static Map<String, String> read(Path file) throws UsageException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UsageException("--state: cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            return Map.of();
        }
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UsageException("--state: " + file + " is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new UsageException("--state: " + file + " must hold a JSON object of strings");
        }
        Map<String, String> state = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (!field.getValue().isTextual()) {
                throw new UsageException("--state: in " + file + ", the value of \"" + field.getKey()
                        + "\" must be a string");
            }
            state.put(field.getKey(), field.getValue().textValue());
        }
        return state;
    }

    /** Replaces {@code file} with {@code state} (written beside it first, so a crash never leaves half a file). */
    static void write(Path file, Map<String, String> state) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path parent = absolute.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        Files.writeString(temporary, JSON.writeValueAsString(new TreeMap<>(state)) + "\n", StandardCharsets.UTF_8);
        try {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
