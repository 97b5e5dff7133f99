/// Tells, without decoding, that a destination label read by ``GoldLabelScanner`` holds
/// the same values as a source label kept by ``StoredLabels``: both as canonical text
/// (keys sorted, strings and numbers as written), compared byte for byte. Equal texts are
/// equal values; different texts may still be equal by meaning (`1.50` and `1.5`, an
/// escaped string), which the caller then decides by decoding both.
struct CopyValueMatcher: Sendable {
    private var canonical = JSONCanonicalizer()
    private var sourceText: [UInt8] = []
    private var destinationText: [UInt8] = []

    /// True when `label`'s values have the same canonical text as source label `index`'s.
    mutating func sameText(_ label: ScannedGoldLabel, as index: Int, of source: CompactRun) -> Bool {
        destinationText.removeAll(keepingCapacity: true)
        Self.appendCanonicalValues(label, into: &destinationText)
        sourceText.removeAll(keepingCapacity: true)
        let body = source.bodyBytes(index)
        var parser = JSONParser(bytes: body)
        guard canonical.append(&parser, depth: 0, into: &sourceText), parser.position == body.count else { return false }
        return sourceText == destinationText
    }

    /// The field indices of the values in ``GoldLabel/fieldNames``, in byte-wise order of
    /// their names (the order canonical text has them in).
    private static let valueFields = ["object_value", "object_value_is_partial", "text_value"].map { GoldLabel.fieldNames.firstIndex(of: $0)! }
    /// `"object_value":` and so on, in the same order.
    private static let valueKeys = ["object_value", "object_value_is_partial", "text_value"].map { Array("\"\($0)\":".utf8) }

    /// A scanned label's values as canonical text: the object ``LabelValues/json`` makes
    /// of them (absent and null values left out), keys sorted.
    private static func appendCanonicalValues(_ label: ScannedGoldLabel, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for (field, key) in zip(valueFields, valueKeys) {
            guard let text = label.valueText(field) else { continue }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: key)
            out.append(contentsOf: text)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// True when the label has both a text and an object value: import's rule that one
    /// clears the other makes even equal values an update, which only the planner plans.
    static func hasTextAndObject(_ label: ScannedGoldLabel) -> Bool {
        label.valueText(valueFields[0]) != nil && label.valueText(valueFields[2]) != nil
    }
}
