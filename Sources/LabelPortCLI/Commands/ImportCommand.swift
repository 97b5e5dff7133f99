import ArgumentParser
import Foundation
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
            quits at once (exit 130).

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

    @Argument(help: ArgumentHelp("The CSV or JSONL file of label rows; - reads standard input.", valueName: "FILE"))
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

    @Option(name: .customLong("max-errors"), help: ArgumentHelp("Go on past up to N invalid or failed rows.", valueName: "N"))
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
        let console = Console.current
        var clientConfiguration: RefactorClient.Configuration
        let executionOptions: ExecutionOptions
        do {
            let resolved = try connection.resolve()
            executionOptions = execution.options(for: resolved)
            clientConfiguration = try resolved.clientConfiguration(concurrency: executionOptions.concurrency, environment: ProcessEnvironment.current)
        } catch let error as ConfigurationError {
            throw ValidationError(error.description)
        }
        let inputOptions = try input.labelInputOptions()
        let configuration = ImportConfiguration(
            mode: mode, remapRuns: try remapTable(), dryRun: dryRun, maxErrors: maxErrors)

        let source = try InputFile(path: file, options: inputOptions)
        defer { source.remove() }

        // 1. Validate the whole input before anything is sent.
        var firstPass = try source.open()
        var problems = CappedList(verbose: verbose)
        let validation = InputValidator.run(&firstPass, remapRuns: configuration.remapRuns, warnRepeats: false) { diagnostic in
            if problems.admit() { console.message(diagnostic.description) }
        }
        if let more = problems.moreLine("problems", hint: "--verbose lists them all") {
            console.message(more)
        }
        let invalidInput = validation.invalidRows > (maxErrors ?? 0)

        let startedAt = ContinuousClock.now
        let interrupt = InterruptFlag()
        let executor = RequestExecutor(options: executionOptions)
        let outputsForSignals = ImportOutputs.Holder()
        // Ctrl-C: take no new rows and send nothing new; requests in flight finish. The
        // report goes to disk row by row from then on; a second Ctrl-C quits at once.
        let signals = SignalWatcher.interrupts(quit: {
            console.message("labelport: quit (second Ctrl-C); the report holds the rows finished so far")
        }) {
            interrupt.set()
            executor.cancelAll()
            let inFlight = executor.requestsInFlight
            let outputs = outputsForSignals.current
            Task {
                await outputs?.flushNow()
                console.message("stopping: finishing \(CountText.count(inFlight, "request")) in flight; Ctrl-C again to quit")
            }
        }
        defer { signals.cancel() }

        clientConfiguration.rateLimitObserver = { executor.observe($0) }
        if verbose { clientConfiguration.requestLog = { console.message($0) } }
        let status: Int32 = try await RefactorClient.withClient(clientConfiguration) { client in
            let journalWriter = try (dryRun || invalidInput ? nil : journal.open(command: "import", server: clientConfiguration.server, source: source.displayName, console: console))
            let engine = ImportEngine(configuration: configuration, client: client, executor: executor, interrupt: interrupt, journal: journalWriter)
            var (planner, unreadable) = await engine.loadRuns(validation.runIDs)
            for problem in Set(unreadable).sorted() { console.message("labelport import: \(problem)") }
            planner.repeatedLabels = validation.repeatedLabels
            if !validation.repeatedLabels.isEmpty {
                var mergePass = try source.open()
                planner.repeatedRows = RepeatedRows(&mergePass, labels: validation.repeatedLabels, configuration: configuration)
            }
            var secondPass = try source.open()
            let renderer = PlanRenderer(color: !json && console.outputIsTerminal)
            let planWriter = try planOut.map { path in
                try SavedPlanWriter(path: path, head: SavedPlan(
                    baseURL: clientConfiguration.server.baseURL, createdAt: JournalOptions.timestamp(Date()), mode: mode,
                    inputName: source.displayName, inputSHA256: try SHA256.hexDigest(ofFile: source.path)))
            }
            let outputs = try ImportOutputs(
                reportPath: report, rejectsPath: rejects, recordWriter: RecordWriter(for: firstPass),
                spoolPlan: dryRun, planAsJSON: json, renderer: renderer, inputName: firstPass.displayName, verbose: verbose,
                planOut: planWriter)
            outputsForSignals.set(outputs)
            let progress = console.errorIsTerminal && !dryRun
                ? ProgressLine.start(total: validation.items, finished: { engine.finishedRows.load(ordering: .relaxed) }, statistics: { executor.statistics }, console: console)
                : nil
            let counts = await engine.apply(
                &secondPass, planner: &planner, sink: outputs, writesAllowed: !invalidInput,
                skipReason: invalidInput ? "not written: the input has \(validation.invalidRows) invalid row\(validation.invalidRows == 1 ? "" : "s")" : nil)
            await progress?.stop()
            let statistics = executor.statistics
            let summary = ImportSummary(
                counts: counts, runs: validation.runIDs.count, requests: statistics.requestsSent, retries: statistics.retries,
                refused: statistics.throttled, allowedRate: statistics.allowedRate,
                elapsedSeconds: (ContinuousClock.now - startedAt).inSeconds, dryRun: dryRun,
                interrupted: interrupt.isSet, invalidInput: invalidInput)
            let savePlan = !invalidInput && !interrupt.isSet && unreadable.isEmpty
            try await outputs.finish(
                planHeader: dryRun ? renderer.header(counts, runs: validation.runIDs.count, dryRun: true) : nil,
                summaryJSON: summary.json, unchanged: counts.count(.unchanged), savePlan: savePlan, to: console)
            try journalWriter?.close()
            if json && !dryRun {
                console.output(JSONWriter().string(summary.json) + "\n")
            }
            let hint = report.map { "all of them are in \($0)" } ?? "--report FILE or --verbose lists them all"
            for line in await outputs.failedRowLines(hint: hint) { console.message(line) }
            if let note = firstPass.delimiterNote { console.message("\(firstPass.displayName): \(note)") }
            for line in summary.humanLines { console.message(line) }
            if let planOut {
                console.message(savePlan ? "plan saved to \(planOut): carry it out with labelport apply \(planOut)" : "no plan saved: \(invalidInput ? "the input has invalid rows" : "not every run could be read")")
            }
            if let journalWriter, journalWriter.wasWritten { console.message("journal: \(journalWriter.path) (take it back with labelport undo \(journalWriter.path))") }
            return summary.exitStatus
        }
        if status != 0 { throw ExitCode(status) }
    }
}

extension ImportMode: ExpressibleByArgument {}
