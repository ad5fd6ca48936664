package dev.restrictedpython.cli;

/** The help texts. */
final class Usage {

    static final String GENERAL = """
            Usage: restricted-python <command> [options]

            Runs ExecuteRestrictedPython exactly as NiFi would (the real processor, NiFi's mock framework and NiFi's
            JSON and CSV record services), so that a statement can be tried without a NiFi.

            Commands:
              run     run a statement once, over a file of records or as a source
                      (restricted-python run --help)
              verify  NiFi's Verify: compile the statement in the sandbox, check the settings and dry-run it
                      on a JSON array of records (restricted-python verify --help)
              bench   measure throughput against NiFi's record I/O and CPython (DESIGN.md section 6)
                      (restricted-python bench --help)

            Exit status: 0 success, 1 the statement failed, 2 bad arguments or invalid configuration.
            """;

    static final String RUN = """
            Usage: restricted-python run --statement FILE [--mode row|bulk] [--input FILE] [--input-format json|csv]
                [--output-format json|csv] [--checkpoint-column NAME] [--initial-checkpoint VALUE] [--state FILE]
                [--include-input-fields] [--property NAME=VALUE]... [--attribute NAME=VALUE]...
                [--timeout DURATION] [--network allowed|denied]

            Runs the statement once, as one trigger of the processor: over the records of --input (one FlowFile), or
            with no --input as a source (INPUT_DATA = []). Output records go to standard output, the processor's log
            lines and errors to standard error.

            Options (--name VALUE or --name=VALUE):
              --statement FILE          the statement: the body of an async function ending with `return [...]`;
                                        '-' reads it from standard input (then --input must be a file)
              --mode row|bulk           Processing Mode: row runs the statement once per record, bulk once with
                                        all records (default: row)
              --input FILE              the content of the incoming FlowFile ('-' = standard input); without it
                                        the processor has no incoming connection and runs as a source
              --input-format json|csv   the Record Reader: JSON (array, object or one object per line) or CSV
                                        with a header line; the schema is inferred (default: json)
              --output-format json|csv  the Record Writer: a JSON array or CSV with a header line (default: json)
              --checkpoint-column NAME  Data Checkpoint Column
              --initial-checkpoint VALUE
                                        Initial Data Checkpoint (needs --checkpoint-column): 0 is an int, 1.5 a
                                        float, true a bool, 2024-01-31 a date, '42' a str
              --state FILE              the processor's cluster state as a JSON object of strings: read before
                                        the run (a missing file is empty state), written after it, so that the
                                        checkpoint carries from one run to the next
              --include-input-fields    Include Input Fields (row mode only)
              --property NAME=VALUE     a user-defined property: PROPERTIES[NAME] (repeatable; VALUE may use
                                        NiFi Expression Language over the attributes)
              --attribute NAME=VALUE    an attribute of the incoming FlowFile: ATTRIBUTES[NAME] (repeatable)
              --timeout DURATION        Statement Timeout: 10s, 500ms, 2m, 1h or NiFi's "10 sec", "500 millis"
                                        (default: the processor's, 30 sec)
              --network allowed|denied  Network Access (default: allowed)
              --help                    this text

            Exit status:
              0  success
              1  the statement failed; the first line on standard error is
                 failure: <ExceptionType>: <message> (line N)
              2  bad arguments or invalid configuration
            """;

    static final String VERIFY = """
            Usage: restricted-python verify --statement FILE [--input FILE] [any other option of run]

            NiFi's Verify on the processor configured as `run` would configure it: compiles the statement in a real
            sandbox (dialect and syntax errors with their line), checks the settings (a source with a checkpoint
            belongs on the primary node), and dry-runs the statement on the records of --input, a JSON array (the
            Debug Input property), reporting the returned records, the log lines and the time taken. Nothing is
            written and no state changes. Each step is printed on standard output as
              SUCCESSFUL|FAILED|SKIPPED  <step>: <explanation>

            Exit status:
              0  no step failed
              1  a step failed (the statement does not compile, or the dry run failed)
              2  bad arguments or invalid configuration
            """;

    private Usage() {
    }
}
