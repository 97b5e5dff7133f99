/// The first read of the input: every problem, the runs in play, the row count.
/// Nothing is sent before it has read the whole input.
package struct ValidationPass: Sendable {
    package var diagnostics: [Diagnostic] = []
    package var invalidRows = 0
    package var validRows = 0
    /// Runs in order of first appearance, after `--remap-run`.
    package var runIDs: [String] = []
    /// Hashes of the (run, output_resource_name) pairs that more than one row names: only
    /// for these must the planner remember a planned create (see ``Planner/labelHash``).
    package var repeatedLabels: Set<Int> = []

    package var totalRows: Int { validRows + invalidRows }

    package init<Source: LabelItemSource>(_ source: inout Source, configuration: ImportConfiguration) {
        var seen: Set<String> = []
        var labels: Set<Int> = []
        while let item = source.next() {
            switch item {
            case .row(let row, _):
                validRows += 1
                let run = configuration.runID(for: row)
                if seen.insert(run).inserted { runIDs.append(run) }
                let hash = Planner.labelHash(run: run, name: row.outputResourceName)
                if !labels.insert(hash).inserted { repeatedLabels.insert(hash) }
            case .invalid(_, let problems, _):
                invalidRows += 1
                diagnostics.append(contentsOf: problems)
            }
        }
    }
}
