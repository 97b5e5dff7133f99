import Synchronization

/// What the dry run of a copy has planned so far into a destination run that several
/// source runs are copied into: per name, the label as the copy of an earlier source run
/// would leave it. The plan of the next source run takes the destination as the copy
/// will find it, not as it is now: a name an earlier source run creates is updated (or
/// left unchanged), as the copy does, not created a second time.
package final class CopyOverlay: Sendable {
    private let labels = Mutex<[String: GoldLabel]>([:])

    package init() {}

    package var isEmpty: Bool { labels.withLock { $0.isEmpty } }

    /// Notes what a planned row of the copy of `sourceRun` into `destinationRun` would
    /// write. A created label has no id yet: it is named by the run whose copy creates it.
    package func note(_ outcome: RowOutcome, sourceRun: String, destinationRun: String) {
        let row = outcome.planned
        guard outcome.status == .planned, row.write != nil, let name = row.outputResourceName, let after = row.after else { return }
        labels.withLock { labels in
            let id = outcome.labelID ?? row.labelID ?? labels[name]?.id ?? "(created by the copy of run \(sourceRun))"
            labels[name] = GoldLabel(
                id: id, accountID: "", runID: destinationRun, outputResourceName: name,
                textValue: after.textValue, objectValue: after.objectValue, objectValueIsPartial: after.objectValueIsPartial,
                createdAt: "")
        }
    }

    /// A collector for the destination run as the server holds it, with the labels noted
    /// here in place of those of their names.
    package func reading<Inner: GoldLabelCollector>(into inner: Inner) -> Reading<Inner> {
        Reading(inner: inner, replaced: labels.withLock { $0 })
    }

    package struct Reading<Inner: GoldLabelCollector>: GoldLabelCollector {
        private var inner: Inner
        private let replaced: [String: GoldLabel]

        fileprivate init(inner: Inner, replaced: [String: GoldLabel]) {
            self.inner = inner
            self.replaced = replaced
        }

        package static var takesScannedLabels: Bool { Inner.takesScannedLabels }
        package var needsObjectValueText: Bool { inner.needsObjectValueText }

        package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
            guard replaced[label.outputResourceName] == nil else { return }
            inner.add(label, bytes: bytes)
        }

        package mutating func add(scanned label: ScannedGoldLabel) {
            guard replaced[String(decoding: label.outputResourceName, as: UTF8.self)] == nil else { return }
            inner.add(scanned: label)
        }

        /// The destination as the copy will find it: the server's labels, then those noted.
        package func finish() -> Inner {
            var inner = inner
            for name in replaced.keys.sorted() {
                let label = replaced[name]!
                let bytes = JSONWriter().string(label.json).utf8
                Array(bytes).withUnsafeBytes { inner.add(label, bytes: $0) }
            }
            return inner
        }
    }

    /// Passes every row on to `sink`, noting what each would write.
    package struct Recorder: ImportSink {
        let overlay: CopyOverlay
        let sink: any ImportSink
        let sourceRun: String
        let destinationRun: String

        package init(_ overlay: CopyOverlay, passingTo sink: any ImportSink, sourceRun: String, destinationRun: String) {
            self.overlay = overlay
            self.sink = sink
            self.sourceRun = sourceRun
            self.destinationRun = destinationRun
        }

        package func rowFinishing(_ outcome: RowOutcome) {
            sink.rowFinishing(outcome)
        }

        package func rowFinished(_ outcome: RowOutcome) async {
            overlay.note(outcome, sourceRun: sourceRun, destinationRun: destinationRun)
            await sink.rowFinished(outcome)
        }
    }
}
