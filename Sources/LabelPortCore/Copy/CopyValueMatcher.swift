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

    /// The field indices of the values in ``GoldLabel/fieldNames``, in the order
    /// ``StoredLabels`` keeps them.
    private static let valueFields = ["text_value", "object_value", "object_value_is_partial"].map { GoldLabel.fieldNames.firstIndex(of: $0)! }

    /// A scanned label's values as canonical text: the array ``StoredLabels`` keeps of
    /// them (`null` where absent or null), object keys sorted.
    private static func appendCanonicalValues(_ label: ScannedGoldLabel, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (n, field) in valueFields.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            if let text = label.valueText(field) {
                out.append(contentsOf: text)
            } else {
                out.append(contentsOf: Self.null)
            }
        }
        out.append(UInt8(ascii: "]"))
    }

    private static let null = Array("null".utf8)

    /// True when the label has both a text and an object value: import's rule that one
    /// clears the other makes even equal values an update, which only the planner plans.
    static func hasTextAndObject(_ label: ScannedGoldLabel) -> Bool {
        label.valueText(valueFields[0]) != nil && label.valueText(valueFields[1]) != nil
    }
}
