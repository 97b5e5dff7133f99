import ArgumentParser
import Foundation
import LabelPortCore

/// `labelport import FILE`: create and update gold labels from a CSV, JSONL or xlsx file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create or update gold labels from a CSV, JSONL or xlsx file.",
        discussion: """
            Every row becomes a create or an update of one gold label. The whole file is \
            checked before the first write: any invalid row means nothing is written (exit 2) \
            unless --max-errors allows it; a problem of the file itself (empty, no label \
            column) always does. --dry-run reads the runs' labels and prints the plan \
            (counts, then each change field by field; the first 20, all with --verbose) \
            without writing anything. Failed rows are listed on stderr with their reason.

            Modes: upsert (default) updates the label a row names by id, else the one label of \
            the run with that output_resource_name, and creates one when there is none; create \
            always creates; update only updates. Values are compared by meaning, and a row that \
            changes nothing sends nothing; an empty CSV cell leaves the field as it is. \
            Several rows for one label are merged in file order into one change. Columns \
            mapped to object_value.KEY set their keys in the label's object; a whole \
            object_value replaces it.

            Ctrl-C stops taking rows and lets requests in flight finish; a second Ctrl-C \
            quits at once (exit 130), the report holding every row finished so far.

            Exit status: 0 every row ok; 1 some rows failed, conflicted or were skipped \
            (also after Ctrl-C); 2 the input is invalid and nothing was written; 64 usage \
            error; 130 quit by a second Ctrl-C.

            \(InputOptions.discussion)

            Examples:
              labelport import labels.jsonl --dry-run
              labelport import sheet.csv --run-id RUN_UUID \\
                  --map "Document=output_resource_name" --map "Answer=text_value"
              labelport import backup.jsonl --remap-run OLD_RUN=NEW_RUN \\
                  --report report.jsonl
              labelport import big.csv --concurrency 32 --rate 200 \\
                  --rejects rejects.csv
            """
    )

    @Argument(help: ArgumentHelp("The CSV, JSONL or xlsx file of label rows; - reads standard input.", valueName: "FILE"))
    var file: String

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup
    @OptionGroup(title: "Journal") var journal: JournalOptions

    @Option(help: ArgumentHelp("upsert, create or update.", valueName: "MODE"))
    var mode: ImportMode = .upsert

    @Option(name: .customLong("remap-run"), help: ArgumentHelp("Send rows of run OLD to run NEW (repeatable).", valueName: "OLD=NEW"))
    var remapRuns: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Write nothing: print the plan.")
    var dryRun = false

    @Option(name: .customLong("plan-out"), help: ArgumentHelp("With --dry-run: also save the plan to this file, for labelport apply.", valueName: "PLAN"))
    var planOut: String?

    @Flag(help: "Print the plan (with --dry-run) or the summary as JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Write one JSON line per input row, in input order, to this file.", valueName: "FILE"))
    var report: String?

    @Option(help: ArgumentHelp("Write the rows that failed or were skipped, in the input's own format, to this file.", valueName: "FILE"))
    var rejects: String?

    @Option(name: .customLong("max-errors"), parsing: .unconditional, help: ArgumentHelp("Go on past up to N invalid or failed rows (default: 0).", valueName: "N"))
    var maxErrors: Int?

    @Flag(help: "List every row problem, failed row and plan entry (not just the first 20), and log each request.")
    var verbose = false

    func validate() throws {
        _ = try remapTable()
        if let maxErrors, maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more") }
        if planOut != nil && !dryRun { throw ValidationError("--plan-out saves the plan of a dry run: add --dry-run") }
    }

    func remapTable() throws -> [String: String] {
        var table: [String: String] = [:]
        for entry in remapRuns {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, UUIDText.isValid(parts[0]), UUIDText.isValid(parts[1]) else {
                throw ValidationError("--remap-run \"\(entry)\": write it as OLD_RUN_UUID=NEW_RUN_UUID")
            }
            let old = UUIDText.normalized(parts[0])
            if table[old] != nil { throw ValidationError("--remap-run names run \(parts[0]) twice") }
            table[old] = UUIDText.normalized(parts[1])
        }
        return table
    }

    func run() async throws {
        try OutputPaths.check(
            inputs: [("the input file", file)],
            outputs: [("--report", report), ("--rejects", rejects), ("--plan-out", planOut)], journal: journal)
        let console = Console.current
        var clientConfiguration: RefactorClient.Configuration
        let executionOptions: ExecutionOptions
        do {
            let resolved = try connection.resolve()
            executionOptions = try execution.options(for: resolved)
            clientConfiguration = try resolved.clientConfiguration(concurrency: executionOptions.concurrency, environment: ProcessEnvironment.current)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let source = try InputFile(path: file, options: try input.labelInputOptions())
        defer { source.remove() }
        let session = try ImportSession(command: self, source: source, console: console)

        let executor = RequestExecutor(options: executionOptions, announce: console.message)
        // Ctrl-C: take no new rows and send nothing new; requests in flight finish. The
        // report goes to disk row by row from then on; a second Ctrl-C quits at once.
        let interrupts = WriteInterrupts()
        let signals = interrupts.watch([executor], console: console)
        defer { signals.cancel() }

        clientConfiguration.rateLimitObserver = { executor.observe($0) }
        if verbose { clientConfiguration.requestLog = { console.message($0) } }
        let server = clientConfiguration.server
        let status = try await RefactorClient.withClient(clientConfiguration) { client in
            try await session.run(client: client, server: server, executor: executor, interrupts: interrupts)
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension ImportMode: ExpressibleByArgument {}
