/// Everything `labelport import` was asked to do, minus the connection.
package struct ImportConfiguration: Sendable {
    package var mode: ImportMode
    /// `--remap-run OLD=NEW`: rows of run OLD go to run NEW (ids lower-cased).
    package var remapRuns: [String: String]
    package var dryRun: Bool
    /// `--max-errors N`: go on past up to N invalid or failed rows. Nil: no invalid row is
    /// tolerated (nothing is written), and failed rows do not stop the run.
    package var maxErrors: Int?
    /// Rows the reader may run ahead of the oldest unfinished row.
    package var window: Int
    /// What a row of a run the server does not have (404) is told to check: the
    /// command's way of naming another run.
    package var missingRunAdvice = "check the run id or --remap-run"
    /// What a row whose name several labels of its run share is told: the command's way
    /// of saying which label it means.
    package var conflictAdvice = Self.importConflictAdvice
    static let importConflictAdvice = "add an id column to say which"
    /// How a row whose label may exist (a create unanswered) is told to settle it: the
    /// command run again, which finds the label by name.
    package var rerunAdvice = "run the import again"

    package init(mode: ImportMode = .upsert, remapRuns: [String: String] = [:], dryRun: Bool = false, maxErrors: Int? = nil, window: Int = 4096) {
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
