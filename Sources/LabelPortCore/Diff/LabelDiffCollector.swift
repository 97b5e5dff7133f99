/// Compares one run's labels on the server with an earlier export of it as the list
/// answer arrives: each server label is matched by id with the file's label and
/// dropped, so only the differences are kept, never the run.
package struct LabelDiffCollector: GoldLabelCollector, Sendable {
    /// The run's labels in the file (see ``StoredLabels``); nil when the file has none.
    private let old: CompactRunIndex?
    /// File labels already matched by a server label.
    private var matched: [Bool]
    private var diff = LabelSetDiff()

    package init(old: CompactRunIndex?) {
        self.old = old
        self.matched = [Bool](repeating: false, count: old?.run.count ?? 0)
    }

    package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
        let new = StoredLabel(label)
        // A second server label with the same id is added: the file's label is taken.
        guard let old, let index = old.index(ofID: new.id), !matched[index] else {
            diff.record(old: nil, new: new)
            return
        }
        matched[index] = true
        diff.record(old: StoredLabels.storedLabel(old.run, index), new: new)
    }

    /// The differences: with the file's labels no server label matched, removed.
    package func finish() -> LabelSetDiff {
        var diff = diff
        if let old {
            for index in old.run.indices where !matched[index] {
                diff.record(old: StoredLabels.storedLabel(old.run, index), new: nil)
            }
        }
        return diff
    }
}
