/// Labels as a dry run and a copy compare them (``StoredLabel``), compact in a
/// ``CompactRun``: each label's values as one JSON array `[text_value, object_value,
/// object_value_is_partial]` (`null` where absent; the object's keys in their own order,
/// or sorted when `canonical`), its run, name and id; decoded one at a time when compared.
/// An array, not the object ``LabelValues/json`` makes: a big run does not keep the three
/// key names per label.
package enum StoredLabels {
    /// Adds a label (from a file, or from a list answer). `canonical`: the object's keys
    /// sorted, so that the bytes equal ``canonicalValues(_:into:)`` of the same values.
    package static func add(_ label: StoredLabel, to run: inout CompactRun.Builder, canonical: Bool = false) {
        var bytes: [UInt8] = []
        let values = label.values
        let writer = JSONWriter(keyOrder: canonical ? .sorted : .preserved)
        writer.write(.array([
            values.textValue.map(JSONValue.string) ?? .null,
            values.objectValue.map(JSONValue.object) ?? .null,
            values.objectValueIsPartial.map(JSONValue.bool) ?? .null,
        ]), into: &bytes)
        bytes.withUnsafeBytes { run.add(body: $0, runID: label.runID, name: label.outputResourceName, id: label.id) }
    }

    /// The canonical text of a scanned label's values, as ``add(_:to:canonical:)`` with
    /// `canonical` writes them when they are written alike: equal bytes are equal values
    /// (a string or number spelled differently only gives unequal bytes).
    package static func canonicalValues(_ label: ScannedGoldLabel, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (position, field) in [GoldLabelScanner.textValue, GoldLabelScanner.objectValue, GoldLabelScanner.objectValueIsPartial].enumerated() {
            if position > 0 { out.append(UInt8(ascii: ",")) }
            if let text = label.valueText(field) { out.append(contentsOf: text) } else { out.append(contentsOf: "null".utf8) }
        }
        out.append(UInt8(ascii: "]"))
    }

    /// The label at `index` of a run built by ``add(_:to:)``.
    package static func storedLabel(_ run: CompactRun, _ index: Int) -> StoredLabel {
        var values = LabelValues()
        if case .array(let fields)? = try? JSONParser.parse(run.bodyBytes(index)), fields.count == 3 {
            if case .string(let text) = fields[0] { values.textValue = text }
            if case .object(let object) = fields[1] { values.objectValue = object }
            if case .bool(let partial) = fields[2] { values.objectValueIsPartial = partial }
        }
        return StoredLabel(runID: run.runID(index), id: run.id(index), outputResourceName: run.outputResourceName(index), values: values)
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
