/// A source run's labels as import rows for the destination run: the planner and the
/// import engine then copy them exactly as they import a file (upsert by
/// `output_resource_name`, never by id: ids belong to the source environment).
package struct CopyRows: LabelItemSource {
    private let labels: [GoldLabel]
    private let destinationRun: String
    private var index = 0

    /// `labels` in the order given; each row's `line` is its 1-based position.
    package init(labels: [GoldLabel], destinationRun: String) {
        self.labels = labels
        self.destinationRun = UUIDText.normalized(destinationRun)
    }

    package mutating func next() -> LabelInputItem? {
        guard index < labels.count else { return nil }
        let label = labels[index]
        index += 1
        let row = LabelRow(
            line: index, runID: destinationRun, outputResourceName: label.outputResourceName,
            textValue: label.textValue, objectValue: label.objectValue, objectValueIsPartial: label.objectValueIsPartial)
        return .row(row, InputRecord(line: index, content: .text("")))
    }

    /// The labels in export order (output_resource_name, then id, byte-wise), so a plan
    /// and a report list them the same way every time.
    package static func ordered(_ labels: [GoldLabel]) -> [GoldLabel] {
        labels.sorted { bytewisePrecedes([$0.outputResourceName, $0.id], [$1.outputResourceName, $1.id]) }
    }

    /// Hashes of the names the source run holds more than once (see ``Planner/repeatedLabels``).
    package static func repeatedLabels(_ labels: [GoldLabel], destinationRun: String) -> Set<Int> {
        var seen: Set<ExactString> = []
        var repeated: Set<Int> = []
        let run = UUIDText.normalized(destinationRun)
        for label in labels where !seen.insert(ExactString(label.outputResourceName)).inserted {
            repeated.insert(Planner.labelHash(run: run, name: label.outputResourceName))
        }
        return repeated
    }
}

extension OutcomeCounts {
    /// Adds another run's counts to these.
    package mutating func merge(_ other: OutcomeCounts) {
        rows += other.rows
        doomed += other.doomed
        for (action, n) in other.byAction { byAction[action, default: 0] += n }
        for (status, n) in other.byStatus { byStatus[status, default: 0] += n }
    }
}
