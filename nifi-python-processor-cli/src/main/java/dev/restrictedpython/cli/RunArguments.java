package dev.restrictedpython.cli;

import dev.restrictedpython.cli.RunOptions.RecordFormat;
import dev.restrictedpython.nifi.processor.NetworkAccess;
import dev.restrictedpython.nifi.processor.ProcessingMode;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the arguments of {@code run} (DESIGN.md section 5). Each option is {@code --name VALUE} or
 * {@code --name=VALUE}; single-valued options may be given once, {@code --property} and {@code --attribute} many
 * times. Everything wrong is a {@link UsageException} (exit status 2).
 */
final class RunArguments {

    /** {@code --help} was given: print the usage instead of running. */
    static final class HelpRequested extends Exception {
        HelpRequested() {
            super(null, null, false, false);
        }
    }

    private final Map<String, String> single = new HashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> attributes = new LinkedHashMap<>();
    private boolean includeInputFields;

    private RunArguments() {
    }

    static RunOptions parse(List<String> args) throws UsageException, HelpRequested {
        if (args.contains("--help") || args.contains("-h")) {
            throw new HelpRequested();
        }
        RunArguments parsed = new RunArguments();
        parsed.read(args);
        return parsed.options();
    }

    private void read(List<String> args) throws UsageException {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new UsageException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg : arg.substring(0, equals);
            if (name.equals("--include-input-fields")) {
                if (equals >= 0) {
                    throw new UsageException("--include-input-fields takes no value");
                }
                includeInputFields = true;
                continue;
            }
            if (!isValued(name)) {
                throw new UsageException("unknown option '" + name + "'");
            }
            String value;
            if (equals >= 0) {
                value = arg.substring(equals + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                throw new UsageException(name + " needs a value");
            }
            switch (name) {
                case "--property" -> putPair(properties, name, value);
                case "--attribute" -> putPair(attributes, name, value);
                default -> {
                    if (single.putIfAbsent(name, value) != null) {
                        throw new UsageException(name + " is given more than once");
                    }
                }
            }
        }
    }

    private static boolean isValued(String name) {
        return switch (name) {
            case "--statement", "--mode", "--input", "--input-format", "--output-format", "--checkpoint-column",
                 "--initial-checkpoint", "--state", "--property", "--attribute", "--timeout", "--network" -> true;
            default -> false;
        };
    }

    private static void putPair(Map<String, String> target, String option, String pair) throws UsageException {
        int equals = pair.indexOf('=');
        if (equals <= 0) {
            throw new UsageException(option + " needs NAME=VALUE, got '" + pair + "'");
        }
        String name = pair.substring(0, equals);
        if (target.putIfAbsent(name, pair.substring(equals + 1)) != null) {
            throw new UsageException(option + " " + name + " is given more than once");
        }
    }

    private RunOptions options() throws UsageException {
        String statement = single.get("--statement");
        if (statement == null) {
            throw new UsageException("--statement FILE is required");
        }
        String input = single.get("--input");
        if (statement.equals(RunOptions.STDIN) && (input == null || input.equals(RunOptions.STDIN))) {
            throw new UsageException("--statement - reads the statement from standard input, so --input must be a file");
        }
        if (input == null && single.containsKey("--input-format")) {
            throw new UsageException("--input-format needs --input (without --input the processor runs as a source)");
        }
        String checkpointColumn = single.get("--checkpoint-column");
        if (checkpointColumn == null && single.containsKey("--initial-checkpoint")) {
            throw new UsageException("--initial-checkpoint needs --checkpoint-column");
        }
        ProcessingMode mode = choice("--mode", Map.of("row", ProcessingMode.ROW_BY_ROW, "bulk", ProcessingMode.BULK));
        if (includeInputFields && mode == ProcessingMode.BULK) {
            throw new UsageException("--include-input-fields works in row mode only");
        }
        String stateFile = single.get("--state");
        String timeout = single.get("--timeout");
        return new RunOptions(
                statement,
                mode,
                input,
                choice("--input-format", Map.of("json", RecordFormat.JSON, "csv", RecordFormat.CSV)),
                choice("--output-format", Map.of("json", RecordFormat.JSON, "csv", RecordFormat.CSV)),
                checkpointColumn,
                single.get("--initial-checkpoint"),
                stateFile == null ? null : Path.of(stateFile),
                includeInputFields,
                properties,
                attributes,
                timeout == null ? null : TimePeriods.parse(timeout),
                choice("--network", Map.of("allowed", NetworkAccess.ALLOWED, "denied", NetworkAccess.DENIED)));
    }

    /** The value of an option with fixed choices, or null when it was not given. */
    private <T> T choice(String option, Map<String, T> choices) throws UsageException {
        String value = single.get(option);
        if (value == null) {
            return null;
        }
        T chosen = choices.get(value.toLowerCase(Locale.ROOT));
        if (chosen == null) {
            String allowed = String.join("|", choices.keySet().stream().sorted().toList());
            throw new UsageException(option + " must be " + allowed + ", got '" + value + "'");
        }
        return chosen;
    }
}
