/// Compares a copy's destination run with its source as the destination's list answer
/// arrives, label by label of the same name, by meaning (key order and number spelling
/// aside; ids, timestamps and authors are not compared). Labels only in the destination
/// are not differences.
///
/// Each destination label is matched with the source label of its name, compared and
/// dropped: what is kept is the source run (compact, as read once), per source label
/// where the id of its first destination label is, and the differences — never the
/// destination run, so verifying a big run costs little more than holding its source.
package struct CopyVerifier: GoldLabelCollector, Sendable {
    private let source: CompactRunIndex
    private let sourceRun: String
    private let destinationRun: String
    private var matches: CopyMatches
    /// Every id, for source labels that several destination labels match (rare).
    private var duplicates: [Int: [String]] = [:]
    /// Source → first destination label, for the labels whose values differ.
    private var changes: [Int: [FieldChange]] = [:]
    private var matcher = CopyValueMatcher()

    /// `source`: the source run as read by ``StoredLabels/Collector``, indexed.
    package init(source: CompactRunIndex, sourceRun: String, destinationRun: String) {
        self.source = source
        self.sourceRun = UUIDText.normalized(sourceRun)
        self.destinationRun = UUIDText.normalized(destinationRun)
        self.matches = CopyMatches(sourceLabels: source.run.count)
    }

    package static var takesScannedLabels: Bool { true }

    package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
        guard let index = source.onlyIndex(named: label.outputResourceName) else { return }
        var id = label.id
        guard id.withUTF8({ note(UnsafeRawBufferPointer($0), of: index) }) else { return }
        compare(index, LabelValues(label))
    }

    package mutating func add(scanned label: ScannedGoldLabel) {
        guard let index = source.onlyIndex(named: String(decoding: label.outputResourceName, as: UTF8.self)),
              note(label.id, of: index) else { return }
        // The same canonical text on both sides is the same values: nothing to decode.
        if matcher.sameText(label, as: index, of: source.run) { return }
        compare(index, label.decoded().map { LabelValues($0) } ?? LabelValues())
    }

    /// The differences, in the source's (output_resource_name, id) order.
    package func finish() -> [CopyDifference] {
        Self.byName(source, sourceRun: sourceRun, destinationRun: destinationRun) { first, count in
            if count > 1 { return .ambiguousSource(count: count) }
            switch matches.count(first) {
            case 0: return .missing
            case 1: return changes[first].map { .changed(id: matches.firstID(first), $0) }
            default: return .duplicated(ids: (duplicates[first] ?? []).sorted())
            }
        }
    }

    /// The source labels that share a name (which a copy by name cannot copy each), as
    /// the verification lists them: known from the source alone (for a dry run).
    package static func ambiguousSources(_ source: CompactRunIndex, sourceRun: String, destinationRun: String) -> [CopyDifference] {
        byName(source, sourceRun: UUIDText.normalized(sourceRun), destinationRun: UUIDText.normalized(destinationRun)) { _, count in
            count > 1 ? .ambiguousSource(count: count) : nil
        }
    }

    /// Walks the source's names in (output_resource_name, id) order: `difference` gets
    /// the first label of each name and how many share it.
    private static func byName(
        _ source: CompactRunIndex, sourceRun: String, destinationRun: String, _ difference: (Int, Int) -> CopyDifference.Kind?
    ) -> [CopyDifference] {
        let run = source.run
        let order = run.exportOrder(byRun: false)
        var result: [CopyDifference] = []
        var position = 0
        while position < order.count {
            let first = order[position]
            var end = position + 1
            while end < order.count, run.sameName(first, order[end]) { end += 1 }
            if let kind = difference(first, end - position) {
                result.append(CopyDifference(
                    sourceRun: sourceRun, destinationRun: destinationRun, outputResourceName: run.outputResourceName(first), kind: kind))
            }
            position = end
        }
        return result
    }


    /// Notes a destination label with id `id` matched with source label `index`; true
    /// when it is the first, to be compared.
    private mutating func note(_ id: UnsafeRawBufferPointer, of index: Int) -> Bool {
        guard matches.note(id, of: index) > 1 else { return true }
        duplicates[index, default: [matches.firstID(index)]].append(String(decoding: id, as: UTF8.self))
        return false
    }

    private mutating func compare(_ index: Int, _ values: LabelValues) {
        let changed = LabelDiff.changes(from: StoredLabels.storedLabel(source.run, index).values, to: values)
        if !changed.isEmpty { changes[index] = changed }
    }
}
