package dev.restrictedpython.nifi.processor;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Replaces the values of sensitive properties with a mask in any text that leaves the processor (logs,
 * bulletins, attributes, error messages), including text the statement itself produced.
 */
final class SecretMasker {

    static final String MASK = "********";
    static final SecretMasker NONE = new SecretMasker(List.of());

    private final List<String> secrets;

    SecretMasker(List<String> secrets) {
        // longest first, so a secret that contains another is masked whole
        this.secrets = secrets.stream()
                .filter(Objects::nonNull)
                .filter(secret -> !secret.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String masked = text;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }
}
