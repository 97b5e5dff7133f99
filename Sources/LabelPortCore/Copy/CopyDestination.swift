/// A copy's destination run as its plan needs it, read against the source run as the
/// answer arrives. A destination label that already holds the values of the one source
/// label of its name is kept only as its id: the row that copies it is planned unchanged
/// without it (``LabelInputItem/unchanged(_:labelID:_:)``). Every other label is kept as
/// ``CompactRun`` keeps a run, for the planner. So a destination that already matches
/// its source (a second copy, a dry run after a copy) costs a few bytes a label, not a
/// second run beside the source.
///
/// Only what the planner would find unchanged is set aside: the same canonical text
/// (equal meaning with another spelling is left to the planner), one label of the name
/// on each side, not both a text and an object value, and not `--mode create` (which
/// lists every label of a name). A second destination label of a name set aside puts
/// the first back (by its id: the planner then reports both, as a conflict).
package struct CopyDestination: GoldLabelCollector, Sendable {
    private let source: CompactRunIndex
    private let setsAside: Bool
    private var builder = CompactRun.Builder(body: .asSent)
    private var matches: CopyMatches
    /// Per source label: its destination label was set aside (its id is in ``matches``).
    private var unchanged: [Bool]
    private var matcher = CopyValueMatcher()

    /// `source`: the source run as read by ``StoredLabels/Collector``, indexed; `mode`:
    /// the copy's.
    package init(source: CompactRunIndex, mode: ImportMode) {
        self.source = source
        self.setsAside = mode != .create
        self.matches = CopyMatches(sourceLabels: source.run.count)
        self.unchanged = [Bool](repeating: false, count: setsAside ? source.run.count : 0)
    }

    package static var takesScannedLabels: Bool { true }

    package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
        if setsAside, let index = source.onlyIndex(named: label.outputResourceName) {
            var id = label.id
            _ = id.withUTF8 { matches.note(UnsafeRawBufferPointer($0), of: index) }
            putBack(index, runID: label.runID, name: label.outputResourceName)
        }
        builder.add(label, bytes: bytes)
    }

    package mutating func add(scanned label: ScannedGoldLabel) {
        guard setsAside, let index = source.onlyIndex(named: String(decoding: label.outputResourceName, as: UTF8.self)) else {
            builder.add(scanned: label)
            return
        }
        if matches.note(label.id, of: index) == 1, !CopyValueMatcher.hasTextAndObject(label), matcher.sameText(label, as: index, of: source.run) {
            unchanged[index] = true
            return
        }
        putBack(index, runID: String(decoding: label.runID, as: UTF8.self), name: String(decoding: label.outputResourceName, as: UTF8.self))
        builder.add(scanned: label)
    }

    /// The labels kept for the planner.
    package func finish() -> CompactRun { builder.finish() }

    /// The id of the destination label set aside for source label `index`, if it was.
    package func unchangedID(_ index: Int) -> String? {
        guard setsAside, unchanged[index] else { return nil }
        return matches.firstID(index)
    }

    /// A second label bears the name of a label set aside: the first goes to the planner
    /// after all, as its id and name (two labels of a name plan as a conflict, by ids).
    private mutating func putBack(_ index: Int, runID: String, name: String) {
        guard unchanged[index] else { return }
        unchanged[index] = false
        builder.add(body: UnsafeRawBufferPointer(start: nil, count: 0), runID: runID, name: name, id: matches.firstID(index))
    }

}
