/// Labels as a dry run and a copy compare them (``StoredLabel``), compact in a
/// ``CompactRun``: each label's values as JSON text (``LabelValues/json``), its run,
/// name and id; decoded one at a time when compared.
package enum StoredLabels {
    /// Adds a label (from a file, or from a list answer).
    package static func add(_ label: StoredLabel, to run: inout CompactRun.Builder) {
        var bytes: [UInt8] = []
        JSONWriter().write(label.values.json, into: &bytes)
        bytes.withUnsafeBytes { run.add(body: $0, runID: label.runID, name: label.outputResourceName, id: label.id) }
    }

    /// The label at `index` of a run built by ``add(_:to:)``.
    package static func storedLabel(_ run: CompactRun, _ index: Int) -> StoredLabel {
        let values = (try? JSONParser.parse(run.bodyBytes(index))).flatMap(\.objectValue).flatMap { try? LabelValues(json: $0) }
        return StoredLabel(runID: run.runID(index), id: run.id(index), outputResourceName: run.outputResourceName(index), values: values ?? LabelValues())
    }
}

extension StoredLabels {
    /// Keeps the labels of a list answer as stored labels (a copy's source run).
    package struct Collector: GoldLabelCollector, Sendable {
        private var builder = CompactRun.Builder(body: .asSent)
        package init() {}
        package mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) {
            StoredLabels.add(StoredLabel(label), to: &builder)
        }
        package func finish() -> CompactRun { builder.finish() }
    }
}
