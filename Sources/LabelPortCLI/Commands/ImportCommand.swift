import ArgumentParser
import LabelPortCore

/// `labelport import FILE`: create and update gold labels from a CSV or JSONL file.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Create or update gold labels from a CSV or JSONL file.",
        discussion: """
            Every row becomes a create or an update of one gold label. The whole file is \
            checked before the first write: any invalid row means nothing is written (exit 2) \
            unless --max-errors allows it. --dry-run reads the runs' labels and prints the plan \
            (counts, then each change field by field) without writing anything.

            Modes: upsert (default) updates the label a row names by id, else the one label of \
            the run with that output_resource_name, and creates one when there is none; create \
            always creates; update only updates. Values are compared by meaning, and a row that \
            changes nothing sends nothing; an empty CSV cell leaves the field as it is.

            Exit status: 0 every row ok; 1 some rows failed, conflicted or were skipped \
            (also after Ctrl-C); 2 the input is invalid and nothing was written; 64 usage error.

            \(InputOptions.discussion)

            Examples:
              labelport import labels.jsonl --dry-run
              labelport import sheet.csv --map "Document=output_resource_name" \\
                  --map "Answer=text_value" --run-id 3f0c6a52-8a0e-4c4f-9d59-6f4f0d1f5a11
              labelport import backup.jsonl --remap-run OLD_RUN=NEW_RUN --report report.jsonl
              labelport import big.csv --concurrency 32 --rate 200 --rejects rejects.csv
            """
    )

    @Argument(help: ArgumentHelp("The CSV or JSONL file of label rows; - reads standard input.", valueName: "FILE"))
    var file: String

    @OptionGroup(title: "Input") var input: InputOptions
    @OptionGroup(title: "Connection") var connection: ConnectionOptions
    @OptionGroup(title: "Requests") var execution: ExecutionOptionGroup

    @Option(help: ArgumentHelp("upsert, create or update.", valueName: "MODE"))
    var mode: ImportMode = .upsert

    @Option(name: .customLong("remap-run"), help: ArgumentHelp("Send rows of run OLD to run NEW (repeatable).", valueName: "OLD=NEW"))
    var remapRuns: [String] = []

    @Flag(name: .customLong("dry-run"), help: "Write nothing: print the plan.")
    var dryRun = false

    @Flag(help: "Print the plan (with --dry-run) or the summary as JSON on standard output.")
    var json = false

    @Option(help: ArgumentHelp("Write one JSON line per input row, in input order, to this file.", valueName: "FILE"))
    var report: String?

    @Option(help: ArgumentHelp("Write the rows that failed or were skipped, in the input's own format, to this file.", valueName: "FILE"))
    var rejects: String?

    @Option(name: .customLong("max-errors"), help: ArgumentHelp("Go on past up to N invalid or failed rows.", valueName: "N"))
    var maxErrors: Int?

    func validate() throws {
        _ = try remapTable()
        if let maxErrors, maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more") }
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
        let console = Console.current
        let resolved: ResolvedConnection
        do {
            resolved = try connection.resolve()
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let (server, token) = (resolved.server, resolved.token)
        let inputOptions = try input.labelInputOptions()
        let configuration = ImportConfiguration(
            mode: mode, remapRuns: try remapTable(), dryRun: dryRun, maxErrors: maxErrors)
        let executionOptions = execution.options(for: resolved)

        let source = try InputFile(path: file, options: inputOptions)
        defer { source.remove() }

        // 1. Validate the whole input before anything is sent.
        var firstPass = try source.open()
        let validation = ValidationPass(&firstPass, configuration: configuration)
        for warning in firstPass.warnings { console.message(warning.description) }
        for diagnostic in validation.diagnostics { console.message(diagnostic.description) }
        let invalidInput = validation.invalidRows > (maxErrors ?? 0)

        let startedAt = ContinuousClock.now
        let interrupt = InterruptFlag()
        let executor = RequestExecutor(options: executionOptions)
        // Ctrl-C: take no new rows and send nothing new; requests in flight finish.
        let signals = SignalWatcher.interrupts {
            interrupt.set()
            executor.cancelAll()
        }
        defer { signals.cancel() }

        var clientConfiguration = RefactorClient.Configuration(server: server, token: token, concurrency: executionOptions.concurrency)
        clientConfiguration.requestTimeout = .seconds(30)
        let status: Int32 = try await RefactorClient.withClient(clientConfiguration) { client in
            let engine = ImportEngine(configuration: configuration, client: client, executor: executor, interrupt: interrupt)
            var (planner, unreadable) = await engine.loadRuns(validation.runIDs)
            for problem in Set(unreadable).sorted() { console.message("labelport import: \(problem)") }
            planner.repeatedLabels = validation.repeatedLabels
            var secondPass = try source.open()
            let renderer = PlanRenderer(color: !json && console.outputIsTerminal)
            let outputs = try ImportOutputs(
                reportPath: report, rejectsPath: rejects, recordWriter: RecordWriter(for: firstPass),
                spoolPlan: dryRun, planAsJSON: json, renderer: renderer)
            let progress = console.errorIsTerminal && !dryRun
                ? ProgressLine.start(total: validation.totalRows, finished: { engine.finishedRows.load(ordering: .relaxed) }, statistics: { executor.statistics }, console: console)
                : nil
            let counts = await engine.apply(
                &secondPass, planner: &planner, sink: outputs, writesAllowed: !invalidInput,
                skipReason: invalidInput ? "not written: the input has \(validation.invalidRows) invalid row\(validation.invalidRows == 1 ? "" : "s")" : nil)
            await progress?.stop()
            let statistics = executor.statistics
            let summary = ImportSummary(
                counts: counts, runs: validation.runIDs.count, requests: statistics.requestsSent, retries: statistics.retries,
                elapsedSeconds: (ContinuousClock.now - startedAt).seconds, dryRun: dryRun,
                interrupted: interrupt.isSet, invalidInput: invalidInput)
            try await outputs.finish(
                planHeader: dryRun ? renderer.header(counts, runs: validation.runIDs.count, dryRun: true) : nil,
                summaryJSON: summary.json, unchanged: counts.count(.unchanged), to: console)
            if json && !dryRun {
                console.output(JSONWriter().string(summary.json) + "\n")
            }
            for line in summary.humanLines { console.message(line) }
            return summary.exitStatus
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension ImportMode: ExpressibleByArgument {}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
