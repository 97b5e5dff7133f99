import ArgumentParser
import Foundation
import LabelPortCore

/// One `labelport import`, its flags read: checks the whole input, reads the runs it
/// names, plans and applies every row through an ``ImportEngine``, and writes the
/// report, rejects, plan, journal and summary. ``ImportCommand`` wires it to the client
/// and to Ctrl-C.
struct ImportSession {
    let command: ImportCommand
    let source: InputFile
    let console: Console
    let configuration: ImportConfiguration
    /// The first read of the input (nothing is sent before it is done).
    let validation: InputValidator.Summary
    let recordWriter: RecordWriter
    let readingNote: String?
    let startedAt = ContinuousClock.now

    /// Reads the whole input once, printing its problems (the first 20, all with --verbose).
    init(command: ImportCommand, source: InputFile, console: Console) throws {
        self.command = command
        self.source = source
        self.console = console
        configuration = ImportConfiguration(
            mode: command.mode, remapRuns: try command.remapTable(), dryRun: command.dryRun, maxErrors: command.maxErrors)
        var firstPass = try source.open()
        if let rejects = command.rejects, rejects.lowercased().hasSuffix(".xlsx"), firstPass.format != .xlsx {
            throw ValidationError(
                "--rejects \(rejects): rejected rows are written in the input's own format (\(firstPass.format.rawValue.uppercased())), "
                    + "and a workbook only for a workbook input: give the file a .\(firstPass.format.rawValue) name")
        }
        var problems = CappedList(verbose: command.verbose)
        validation = InputValidator.run(&firstPass, remapRuns: configuration.remapRuns, warnRepeats: false, keyFilters: true) { diagnostic in
            if problems.admit() { console.message(diagnostic.description) }
        }
        if let more = problems.moreLine("problems", hint: "--verbose lists them all") {
            console.message(more)
        }
        recordWriter = RecordWriter(for: firstPass)
        readingNote = firstPass.readingNote
    }

    /// Why nothing is written, when the input is invalid: a problem of the file itself, or
    /// more invalid rows than `--max-errors` allows.
    var notWrittenBecause: String? {
        if validation.fileProblem != nil { return "the file cannot be read as labels" }
        guard validation.invalidRows > (command.maxErrors ?? 0) else { return nil }
        return "the input has \(CountText.count(validation.invalidRows, "invalid row"))"
    }

    var invalidInput: Bool { notWrittenBecause != nil }

    /// Plans and applies every row; returns the exit status.
    func run(
        client: RefactorClient, server: ServerAddress, executor: RequestExecutor, interrupts: WriteInterrupts
    ) async throws -> Int32 {
        let interrupt = interrupts.flag
        let journalWriter = try (command.dryRun || invalidInput
            ? nil : command.journal.open(command: "import", server: server, source: source.displayName, console: console))
        let engine = ImportEngine(configuration: configuration, client: client, executor: executor, interrupt: interrupt, journal: journalWriter)
        var (planner, unreadable) = try await plan(with: engine)
        let renderer = PlanRenderer(color: !command.json && console.outputIsTerminal)
        let outputs = try makeOutputs(server: server, renderer: renderer)
        interrupts.outputs.set(outputs)
        let tally = RowTally(passingTo: outputs, expecting: validation.rows)
        let progress = command.dryRun
            ? nil : ProgressLine.startOnTerminal(rows: tally, statistics: { executor.statistics }, console: console)
        var secondPass = try source.open()
        let counts = await engine.apply(
            &secondPass, planner: &planner, sink: tally, writesAllowed: !invalidInput,
            skipReason: notWrittenBecause.map { "not written: \($0)" })
        await progress?.stop()
        if let why = engine.stoppedBy, counts.count(.skipped) > 0 {
            let rejects = command.rejects.map { " (written to \($0))" } ?? ""
            console.message("stopped: \(why): \(CountText.count(counts.count(.skipped), "row")) not attempted\(rejects)")
        }
        let statistics = executor.statistics
        var summary = ImportSummary(
            counts: counts, runs: validation.runIDs.count, requests: statistics.requestsSent, retries: statistics.retries,
            elapsedSeconds: (ContinuousClock.now - startedAt).inSeconds, dryRun: command.dryRun,
            interrupted: interrupt.isSet, invalidInput: invalidInput)
        summary.fileProblem = validation.fileProblem?.description
        summary.noteExecution(statistics)
        let savePlan = !invalidInput && !interrupt.isSet && unreadable.isEmpty
        try await outputs.finish(
            planHeader: command.dryRun ? renderer.header(counts, runs: validation.runIDs.count, dryRun: true) : nil,
            summaryJSON: summary.json, unchanged: counts.count(.unchanged), savePlan: savePlan, to: console)
        try journalWriter?.close()
        await printEnd(summary: summary, outputs: outputs, savePlan: savePlan, journal: journalWriter)
        return summary.exitStatus
    }

    /// Reads the runs the input names into a planner (with the rows that repeat a label,
    /// merged), printing the runs that could not be read.
    private func plan(with engine: ImportEngine) async throws -> (Planner, unreadable: [String]) {
        var (planner, unreadable) = await engine.loadRuns(validation.runIDs, keeping: validation.keyFilters)
        for problem in Set(unreadable).sorted() { console.message("labelport import: \(problem)") }
        planner.repeatedLabels = validation.repeatedLabels
        planner.repeatedRows = try RepeatedRows(
            open: source.open, labels: validation.repeatedLabels, rowsWithIDs: validation.rowsWithIDs > 0,
            configuration: configuration, planner: planner)
        return (planner, unreadable)
    }

    private func makeOutputs(server: ServerAddress, renderer: PlanRenderer) throws -> ImportOutputs {
        let planWriter = try command.planOut.map { path in
            try SavedPlanWriter(path: path, head: SavedPlan(
                baseURL: server.baseURL, createdAt: JournalOptions.timestamp(Date()), mode: command.mode,
                inputName: source.displayName, inputSHA256: try SHA256.hexDigest(ofFile: source.path)))
        }
        return try ImportOutputs(
            reportPath: command.report, rejectsPath: command.rejects, recordWriter: recordWriter,
            spoolPlan: command.dryRun, planAsJSON: command.json, renderer: renderer, inputName: source.displayName, verbose: command.verbose,
            planOut: planWriter)
    }

    /// The end of the run on stderr (and the JSON summary on stdout with --json): failed
    /// rows, the summary, where the plan and the journal went.
    private func printEnd(summary: ImportSummary, outputs: ImportOutputs, savePlan: Bool, journal: JournalWriter?) async {
        if command.json && !command.dryRun {
            console.output(JSONWriter().string(summary.json) + "\n")
        }
        let hint = command.report.map { "all of them are in \($0)" } ?? "--report FILE or --verbose lists them all"
        for line in await outputs.failedRowLines(hint: hint) { console.message(line) }
        if let readingNote { console.message("\(source.displayName): \(readingNote)") }
        for line in summary.humanLines { console.message(line) }
        if let planOut = command.planOut {
            console.message(savePlan
                ? "plan saved to \(planOut): carry it out with labelport apply \(planOut)"
                : "no plan saved: \(notWrittenBecause ?? "not every run could be read")")
        }
        if let journal, journal.wasWritten { console.message("journal: \(journal.path) (take it back with labelport undo \(journal.path))") }
    }
}
