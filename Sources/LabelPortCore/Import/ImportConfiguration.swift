/// Everything `labelport import` was asked to do, minus the connection.
public struct ImportConfiguration: Sendable {
    public var mode: ImportMode
    /// `--remap-run OLD=NEW`: rows of run OLD go to run NEW (ids lower-cased).
    public var remapRuns: [String: String]
    public var dryRun: Bool
    /// `--max-errors N`: go on past up to N invalid or failed rows. Nil: no invalid row is
    /// tolerated (nothing is written), and failed rows do not stop the run.
    public var maxErrors: Int?
    /// Rows the reader may run ahead of the oldest unfinished row.
    public var window: Int

    public init(mode: ImportMode = .upsert, remapRuns: [String: String] = [:], dryRun: Bool = false, maxErrors: Int? = nil, window: Int = 4096) {
        self.mode = mode
        self.remapRuns = remapRuns
        self.dryRun = dryRun
        self.maxErrors = maxErrors
        self.window = window
    }

    func runID(for row: LabelRow) -> String {
        remapRuns[row.runID] ?? row.runID
    }
}

/// A source of input rows, read once to validate and once to plan and apply.
public protocol LabelItemSource {
    mutating func next() -> LabelInputItem?
}

/// Why an import stopped before its rows were applied.
public struct ImportAbort: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
