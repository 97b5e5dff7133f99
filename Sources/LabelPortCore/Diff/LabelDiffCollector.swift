/// Compares one run's labels on the server with an earlier export of it as the list
/// answer arrives: each server label is matched by id with the file's label and
/// dropped, so only the differences are kept, never the run.
///
/// A label is first compared as bytes: when its name and the canonical text of its values
/// are the file's (stored with `canonical`, see ``StoredLabels``), it is unchanged, and
/// neither side is decoded. That is every label of a run that did not change since its
/// export; the others are decoded and compared by meaning.
package struct LabelDiffCollector: GoldLabelCollector, Sendable {
    /// The run's labels in the file (see ``StoredLabels``, canonical); nil when the file has none.
    private let old: CompactRunIndex?
    /// File labels already matched by a server label.
    private var matched: [Bool]
    private var diff = LabelSetDiff()
    /// The canonical values of the label being compared.
    private var values: [UInt8] = []
    /// Labels found unchanged by their bytes alone.
    package private(set) var unchangedAsBytes = 0

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

    package static var takesScannedLabels: Bool { true }

    package mutating func add(scanned label: ScannedGoldLabel) {
        if let old, let index = old.index(ofID: label.id), !matched[index],
           CompactRun.order(old.run.nameBytes(index), label.outputResourceName) == 0
        {
            values.removeAll(keepingCapacity: true)
            StoredLabels.canonicalValues(label, into: &values)
            if values.withUnsafeBytes({ CompactRun.order($0, old.run.bodyBytes(index)) == 0 }) {
                matched[index] = true
                unchangedAsBytes += 1
                diff.recordUnchanged()
                return
            }
        }
        if let decoded = label.decoded() { add(decoded, bytes: label.text) }
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
