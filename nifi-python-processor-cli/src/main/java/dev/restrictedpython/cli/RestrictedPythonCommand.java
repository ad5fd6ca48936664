package dev.restrictedpython.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code restricted-python <command> ...}: the entry point of the launcher at the repository root. Picks the
 * subcommand and turns whatever goes wrong into an exit status: 0 success, 1 the statement failed, 2 bad
 * arguments or configuration.
 */
public final class RestrictedPythonCommand {

    public static final int EXIT_OK = 0;
    public static final int EXIT_STATEMENT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    static final String PROGRAM = "restricted-python";

    /** One subcommand: {@code run}, {@code verify} or {@code bench}. */
    interface Subcommand {
        int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err);
    }

    private final Map<String, Subcommand> subcommands = new LinkedHashMap<>();

    public RestrictedPythonCommand() {
        subcommands.put("run", new RunCommand());
        subcommands.put("verify", new VerifyCommand());
        subcommands.put("bench", new BenchCommand());
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        silenceStrayOutput();
        int status = new RestrictedPythonCommand().run(args, System.in, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /**
     * Libraries (the polyglot engine, the record services) may print to System.out or System.err; stdout must hold
     * only the output records and stderr only what this command writes. Set RESTRICTED_PYTHON_DEBUG to see them.
     */
    private static void silenceStrayOutput() {
        if (System.getenv("RESTRICTED_PYTHON_DEBUG") != null) {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
            return;
        }
        PrintStream discard = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(discard);
        System.setErr(discard);
    }

    /** Runs one command line; never throws and never calls {@code System.exit}, so tests can call it in-process. */
    public int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                err.print(Usage.GENERAL);
                return EXIT_USAGE;
            }
            String name = args[0];
            if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
                out.print(Usage.GENERAL);
                return EXIT_OK;
            }
            Subcommand subcommand = subcommands.get(name);
            if (subcommand == null) {
                err.println("error: unknown command '" + name + "'; commands: " + String.join(", ", subcommands.keySet()));
                err.println("Run '" + PROGRAM + " --help' for usage.");
                return EXIT_USAGE;
            }
            return subcommand.run(Arrays.asList(args).subList(1, args.length), stdin, out, err);
        } catch (RuntimeException | LinkageError e) {
            err.println("error: internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return EXIT_USAGE;
        } finally {
            out.flush();
            err.flush();
        }
    }
}
