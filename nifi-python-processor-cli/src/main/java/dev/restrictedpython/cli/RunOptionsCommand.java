package dev.restrictedpython.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;

/** A subcommand that takes the options of {@code run}: parsing, {@code --help} and usage errors in one place. */
abstract class RunOptionsCommand implements RestrictedPythonCommand.Subcommand {

    @Override
    public final int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        try {
            return execute(RunArguments.parse(args), stdin, out, err);
        } catch (RunArguments.HelpRequested help) {
            out.print(usage());
            return RestrictedPythonCommand.EXIT_OK;
        } catch (UsageException e) {
            return RunReport.usageError(e.getMessage(), err);
        }
    }

    /** The help text printed for {@code --help}. */
    abstract String usage();

    /** Does the work; a {@link UsageException} becomes exit status 2 with its message. */
    abstract int execute(RunOptions options, InputStream stdin, PrintStream out, PrintStream err)
            throws UsageException;
}
