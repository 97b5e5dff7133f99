/// Reads a whole input and reports every problem: what `labelport validate` runs, and
/// what import runs before its first write.
package enum InputValidator {
    package struct Summary: Sendable, Equatable {
        /// Data rows read (valid and invalid; not the CSV header).
        package var rows = 0
        package var invalidRows = 0
        package var errors = 0
        package var warnings = 0

        package init() {}

        /// `1,000 rows, no problems` / `2 problems in 1,000 rows` (with warnings counted apart).
        package var line: String {
            let rowsText = CountText.count(rows, "row")
            let warningText = warnings == 0 ? "" : " (\(CountText.count(warnings, "warning")))"
            if errors == 0 { return "\(rowsText), no problems\(warningText)" }
            return "\(CountText.count(errors, "problem")) in \(rowsText)\(warningText)"
        }
    }

    /// Reads `input` to the end, handing every diagnostic (warnings included) to `report`
    /// in file order, and counts rows and problems.
    package static func run(_ input: inout LabelInput, report: (Diagnostic) -> Void) -> Summary {
        var summary = Summary()
        var warningsSeen = 0
        // The first line of each label (by a hash of run and output_resource_name): a
        // repeat is merged by import, and worth a warning.
        var firstLines: [Int: Int] = [:]
        while true {
            let item = input.next()
            // Warnings are rare: look only at the count, without copying the input.
            if input.warnings.count > warningsSeen {
                for warning in input.warnings[warningsSeen...] { report(warning) }
                summary.warnings += input.warnings.count - warningsSeen
                warningsSeen = input.warnings.count
            }
            guard let item else { break }
            switch item {
            case .row(let row, _):
                summary.rows += 1
                let hash = Planner.labelHash(run: row.runID, name: row.outputResourceName)
                if let first = firstLines[hash] {
                    report(Diagnostic(file: input.displayName, line: row.line, severity: .warning, message: "same label as line \(first)"))
                    summary.warnings += 1
                } else {
                    firstLines[hash] = row.line
                }
            case .invalid(_, let diagnostics, let record):
                if record != nil {
                    summary.rows += 1
                    summary.invalidRows += 1
                }
                for diagnostic in diagnostics {
                    report(diagnostic)
                    if diagnostic.severity == .error { summary.errors += 1 } else { summary.warnings += 1 }
                }
            }
        }
        return summary
    }
}
