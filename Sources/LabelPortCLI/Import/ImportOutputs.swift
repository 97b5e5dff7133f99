import LabelPortCore
import Synchronization

/// Where an import's row outcomes go, in input order: the `--report` JSONL file, the
/// `--rejects` file (failed rows in the input's own format), and for a dry run the plan,
/// spooled to a temporary file so that the counts can be printed before the changes.
actor ImportOutputs: ImportSink {
    /// The report and rejects files; also usable from the signal handler's thread.
    nonisolated let files: RowFiles
    private let planSpool: BufferedFileWriter?
    /// `--plan-out`: the plan's writes, saved for `labelport apply`.
    private let planOut: SavedPlanWriter?
    private let renderer: PlanRenderer
    private let planAsJSON: Bool
    private var planRows = 0
    /// Unchanged rows the plan lists all the same (for a notice).
    private var listedUnchanged = 0
    /// Plan entries shown on the terminal (all of them as JSON or with `--verbose`).
    private var planEntries: CappedList
    private let verbose: Bool
    /// Failed and conflicting rows of a real import, for stderr.
    private var failedRows: FailedRows?
    private var failure: FileError?
    nonisolated let wantsRows: Bool

    init(
        reportPath: String?, rejectsPath: String?, recordWriter: RecordWriter?, spoolPlan: Bool, planAsJSON: Bool, renderer: PlanRenderer,
        inputName: String = "", rowLocation: FailedRows.Location? = nil, verbose: Bool = false, planOut: SavedPlanWriter? = nil
    ) throws(FileError) {
        self.planOut = planOut
        self.files = try RowFiles(reportPath: reportPath, rejectsPath: rejectsPath, recordWriter: recordWriter)
        self.planSpool = spoolPlan ? try BufferedFileWriter.temporary(prefix: "labelport-plan") : nil
        self.renderer = renderer
        self.planAsJSON = planAsJSON
        self.verbose = verbose
        self.planEntries = CappedList(verbose: verbose || planAsJSON)
        self.failedRows = spoolPlan ? nil : FailedRows(location: rowLocation ?? .line(file: inputName), verbose: verbose)
        self.wantsRows = true
    }

    nonisolated func rowFinishing(_ outcome: RowOutcome) {
        files.hold(outcome)
    }

    func rowFinished(_ outcome: RowOutcome) async {
        failedRows?.add(outcome)
        do throws(FileError) {
            try files.write(outcome)
            if let planOut, outcome.status == .planned, outcome.planned.problem == nil {
                try planOut.add(outcome.planned)
            }
            if let planSpool {
                if planAsJSON {
                    guard outcome.planned.action != .unchanged || outcome.planned.notice != nil else { return }
                    var line: [UInt8] = planRows == 0 ? [] : Array(",\n".utf8)
                    JSONWriter().write(renderer.json(for: outcome), into: &line)
                    try planSpool.write(line)
                } else {
                    let lines = renderer.lines(for: outcome)
                    guard !lines.isEmpty else { return }
                    if outcome.planned.action == .unchanged { listedUnchanged += 1 }
                    guard planEntries.admit() else { return }
                    try planSpool.write(CappedList.entry(lines, verbose: verbose).joined(separator: "\n") + "\n")
                }
                planRows += 1
            }
        } catch {
            if failure == nil { failure = error }
        }
    }

    /// Closes the files; for a dry run writes the plan (header, then the spooled rows) to
    /// `out`. The `--plan-out` file is saved when `savePlan`, else dropped.
    func finish(planHeader: String?, summaryJSON: JSONValue?, unchanged: Int, savePlan: Bool = true, to console: Console) throws(FileError) {
        let out = ConsoleOutput(console: console)
        try files.close()
        if let planOut {
            if savePlan && failure == nil { try planOut.commit() } else { planOut.abort() }
        }
        if let planSpool {
            try planSpool.flush()
            if planAsJSON {
                try out.write("{\"summary\":")
                var bytes: [UInt8] = []
                JSONWriter().write(summaryJSON ?? .null, into: &bytes)
                try out.write(bytes)
                try out.write(",\"changes\":[\n")
                try BufferedFileWriter.copy(planSpool.path, to: out)
                try out.write("]}\n")
            } else {
                if let planHeader { try out.write(planHeader + "\n") }
                try BufferedFileWriter.copy(planSpool.path, to: out)
                if let more = planEntries.moreLine("changes", hint: "--json or --verbose lists them all") {
                    try out.write(more + "\n")
                }
                let notListed = unchanged - listedUnchanged
                if notListed > 0 { try out.write("\(CountText.count(notListed, "unchanged row")) not listed.\n") }
            }
            try planSpool.close(removing: true)
        }
        if let failure { throw failure }
    }

    /// Writes what is buffered now, and every later row at once (after a Ctrl-C).
    func flushNow() {
        do throws(FileError) {
            try files.flushNow()
        } catch {
            if failure == nil { failure = error }
        }
    }

    /// The failed and conflicting rows of a real import, for stderr (nothing for a dry run).
    func failedRowLines(hint: String) -> [String] {
        failedRows?.render(hint: hint) ?? []
    }
}

/// Adapts the console's stdout to the byte sink the plan copy writes to.
struct ConsoleOutput: ByteSink {
    let console: Console
    func write(_ bytes: [UInt8]) throws(FileError) { console.writeOutput(bytes) }
    func write(_ text: String) throws(FileError) { console.output(text) }
}

extension ImportOutputs {
    /// The outputs once made, for the Ctrl-C handler (which runs on another thread).
    final class Holder: Sendable {
        private let outputs = Mutex<ImportOutputs?>(nil)
        func set(_ value: ImportOutputs) { outputs.withLock { $0 = value } }
        var current: ImportOutputs? { outputs.withLock { $0 } }
    }
}
