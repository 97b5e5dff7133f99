/// Reads a whole input once and reports every problem, in file order: what `labelport
/// validate` runs, and what import runs before its first write (nothing is sent before
/// the whole input has been read).
package enum InputValidator {
    package struct Summary: Sendable, Equatable {
        /// Rows that map to a label.
        package var validRows = 0
        /// Items reported invalid: rows, and a problem of the file itself (a header that
        /// names no label column). Import writes nothing while there are more than
        /// `--max-errors` of these, or any problem of the file.
        package var invalidRows = 0
        /// A problem of the file itself, which ends it (an invalid item, not a row of data).
        package var fileProblem: Diagnostic?
        package var errors = 0
        package var warnings = 0
        /// Valid rows that give an `id`.
        package var rowsWithIDs = 0
        /// Runs in order of first appearance, after `--remap-run`.
        package var runIDs: [String] = []
        /// Hashes of the (run, output_resource_name) pairs that more than one row names:
        /// only for these must the planner merge rows (see ``Planner/labelHash``).
        package var repeatedLabels: Set<Int> = []
        /// By run: the names and ids its rows name (only when asked for, by import), so
        /// that reading the run keeps only the labels the planner can ask for.
        package var keyFilters: [String: LabelKeyFilter] = [:]

        package init() {}

        /// Data rows read, valid and invalid (not the CSV header).
        package var rows: Int { validRows + invalidRows - (fileProblem == nil ? 0 : 1) }

        /// `1,000 rows, no problems` / `2 problems in 1,000 rows` (with warnings counted apart).
        package var line: String {
            let rowsText = CountText.count(rows, "row")
            let warningText = warnings == 0 ? "" : " (\(CountText.count(warnings, "warning")))"
            if errors == 0 { return "\(rowsText), no problems\(warningText)" }
            return "\(CountText.count(errors, "problem")) in \(rowsText)\(warningText)"
        }
    }

    /// Reads `input` to the end, handing every diagnostic (warnings included) to `report`
    /// in file order, and counts rows, problems and runs.
    ///
    /// - Parameters:
    ///   - remapRuns: `--remap-run`: the runs rows go to, for ``Summary/runIDs``.
    ///   - warnRepeats: warn at each row for a label an earlier row named (`validate`; import
    ///     merges such rows without a word).
    ///   - keyFilters: collect ``Summary/keyFilters`` (import).
    package static func run(
        _ input: inout LabelInput, remapRuns: [String: String] = [:], warnRepeats: Bool = true, keyFilters: Bool = false,
        report: (Diagnostic) -> Void
    ) -> Summary {
        var summary = Summary()
        var warningsSeen = 0
        var runsSeen: Set<String> = []
        // The first line of each label and a hash of its id, packed into one Int (see
        // ``packed(line:id:)``), by a hash of run and output_resource_name: a million rows
        // cost one word each.
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
            case .row(let row, _), .unchanged(let row, _, _):
                summary.validRows += 1
                if row.id != nil { summary.rowsWithIDs += 1 }
                let run = remapRuns[row.runID] ?? row.runID
                if runsSeen.insert(run).inserted { summary.runIDs.append(run) }
                if keyFilters { summary.keyFilters[run, default: LabelKeyFilter()].insert(row) }
                let hash = Planner.labelHash(run: run, name: row.outputResourceName)
                let this = Self.packed(line: row.line, id: row.id)
                if let first = firstLines[hash] {
                    // Two ids for one name are two labels of that name (how a conflict is settled).
                    let (firstID, thisID) = (first & 0xFFFF_FFFF, this & 0xFFFF_FFFF)
                    if firstID != 0, thisID != 0, firstID != thisID { break }
                    summary.repeatedLabels.insert(hash)
                    if warnRepeats {
                        report(Diagnostic(file: input.displayName, line: row.line, severity: .warning, message: "same label as line \(first >> 32)"))
                        summary.warnings += 1
                    }
                } else {
                    firstLines[hash] = this
                }
            case .invalid(_, let diagnostics, _):
                summary.invalidRows += 1
                if input.failedAsAWhole { summary.fileProblem = diagnostics.first }
                for diagnostic in diagnostics {
                    report(diagnostic)
                    if diagnostic.severity == .error { summary.errors += 1 } else { summary.warnings += 1 }
                }
            }
        }
        return summary
    }

    /// A row's line and a hash of its id (letter case aside; 0 without an id), packed as
    /// line << 32 | hash: two different ids that hash alike are taken for one label, which
    /// costs a warning, never a merge (import merges by the label rows resolve to).
    private static func packed(line: Int, id: String?) -> Int {
        guard var id else { return line << 32 }
        let idHash = id.withUTF8 { RunIndexTables.idHash(UnsafeRawBufferPointer($0), seed: RunIndexTables.seed) }
        return line << 32 | Int(UInt32(truncatingIfNeeded: idHash) | 1)
    }
}
