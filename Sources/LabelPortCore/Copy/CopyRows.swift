/// A source run's labels as import rows for the destination run: the planner and the
/// import engine then copy them exactly as they import a file (upsert by
/// `output_resource_name`, never by id: ids belong to the source environment).
/// The run is kept compact (``StoredLabels``); each row is decoded when it is read.
package struct CopyRows: LabelItemSource {
    private let source: CompactRun
    /// The source's labels in (output_resource_name, id) order, byte-wise, so a plan and
    /// a report list them the same way every time.
    private let order: [Int]
    private let destinationRun: String
    /// The destination as read against this source: the labels it already holds as they
    /// are copied (their rows are planned unchanged, by id, without being decoded).
    private let destination: CopyDestination?
    private var position = 0

    /// `source` as read by ``StoredLabels/Collector``; each row's `line` is its
    /// 1-based position in (output_resource_name, id) order.
    package init(source: CompactRun, destinationRun: String, destination: CopyDestination? = nil) {
        self.source = source
        self.order = source.exportOrder(byRun: false)
        self.destinationRun = UUIDText.normalized(destinationRun)
        self.destination = destination
    }

    package mutating func next() -> LabelInputItem? {
        guard position < order.count else { return nil }
        let index = order[position]
        position += 1
        let record = InputRecord(line: position, content: .text(""))
        if let id = destination?.unchangedID(index) {
            return .unchanged(LabelRow(line: position, runID: destinationRun, outputResourceName: source.outputResourceName(index)), labelID: id, record)
        }
        let label = StoredLabels.storedLabel(source, index)
        let row = LabelRow(
            line: position, runID: destinationRun, outputResourceName: label.outputResourceName,
            textValue: label.values.textValue, objectValue: label.values.objectValue, objectValueIsPartial: label.values.objectValueIsPartial)
        return .row(row, record)
    }

    /// Hashes of the names the source run holds more than once (see ``Planner/repeatedLabels``).
    package var repeatedLabels: Set<Int> {
        var repeated: Set<Int> = []
        for (previous, index) in zip(order, order.dropFirst()) where source.sameName(previous, index) {
            repeated.insert(Planner.labelHash(run: destinationRun, name: source.outputResourceName(index)))
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
