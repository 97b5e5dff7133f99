/// Reads a gold label (`RunGoldLabel`, one element of a list answer) in one pass over its
/// text, without building a tree: where each field's value is, `object_value` in
/// canonical form. A big run's labels are read this way; ``GoldLabel/init(json:)`` stays
/// the one decoder of record.
///
/// A fast path: it accepts a label only when it is sure ``GoldLabel/init(json:)`` would
/// accept the parsed text and gets the same values — valid JSON, the field types the
/// decoder wants, the required fields, no escaped string, no duplicate key. Anything
/// else is nil, and the caller parses and decodes the label, for its value or its
/// precise error.
package struct GoldLabelScanner {
    private var canonical = JSONCanonicalizer()
    /// `object_value`'s canonical text.
    private var objectText: [UInt8] = []
    /// The value text of each of ``GoldLabel/fieldNames`` (strings with their quotes),
    /// `-1` when absent or null: `[start, end]` pairs.
    private var spans = [Int](repeating: -1, count: 2 * GoldLabel.fieldNames.count)
    /// Keys met that the label does not have (checked for duplicates).
    private var unknownKeys: [Range<Int>] = []
    /// Whether `object_value`'s canonical text is wanted
    /// (``ScannedGoldLabel/valueText(_:)``); when not, it is only checked, which is faster.
    package var writesObjectValue = true

    package init() {}

    /// Reads the label `bytes` (an array element, so nested one level) and hands it to
    /// `body`; nil, without calling `body`, when the label is left to the decoder.
    package mutating func scan<Result>(_ bytes: UnsafeRawBufferPointer, _ body: (ScannedGoldLabel) -> Result) -> Result? {
        guard read(bytes) == bytes.count else { return nil }
        return handOver(bytes, body)
    }

    /// Reads the label at the start of `bytes` (an array element, whatever follows it) and
    /// hands it to `body`; returns its length, or nil, without calling `body`, when the
    /// label is left to the decoder (or does not end in `bytes`).
    package mutating func scanPrefix(_ bytes: UnsafeRawBufferPointer, _ body: (ScannedGoldLabel) -> Void) -> Int? {
        guard let end = read(bytes) else { return nil }
        handOver(UnsafeRawBufferPointer(rebasing: bytes[..<end]), body)
        return end
    }

    /// The label just read, whose text is `text`, to `body`.
    private func handOver<Result>(_ text: UnsafeRawBufferPointer, _ body: (ScannedGoldLabel) -> Result) -> Result {
        objectText.withUnsafeBytes { objectValue in
            spans.withUnsafeBufferPointer { spans in
                body(ScannedGoldLabel(text: text, objectValue: objectValue, spans: spans))
            }
        }
    }

    /// The length of the label at the start of `bytes`, read; nil when left to the decoder.
    private mutating func read(_ bytes: UnsafeRawBufferPointer) -> Int? {
        spans.withUnsafeMutableBufferPointer { $0.update(repeating: -1) }
        unknownKeys.removeAll(keepingCapacity: true)
        var parser = JSONParser(bytes: bytes)
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "{") else { return nil }
        parser.position = 1
        var seen: UInt32 = 0
        parser.skipWhitespace()
        if parser.position < bytes.count, bytes[parser.position] == UInt8(ascii: "}") {
            return nil  // no fields: the decoder names the first missing one
        }
        while true {
            guard let key = JSONCanonicalizer.readKey(&parser) else { return nil }
            let field = Self.field(UnsafeRawBufferPointer(rebasing: bytes[key]))
            if let field {
                guard seen & (1 << field) == 0 else { return nil }
                seen |= 1 << field
                guard readValue(of: field, &parser) else { return nil }
            } else {
                let name = UnsafeRawBufferPointer(rebasing: bytes[key])
                guard !unknownKeys.contains(where: { CompactRun.order(UnsafeRawBufferPointer(rebasing: bytes[$0]), name) == 0 }) else { return nil }
                unknownKeys.append(key)
                guard canonical.check(&parser, depth: 2) else { return nil }
            }
            guard let last = JSONCanonicalizer.readMemberEnd(&parser) else { return nil }
            if last { break }
        }
        // Every required field present, and not null (null leaves its span at -1).
        guard seen & Self.required == Self.required else { return nil }
        var required = Self.required
        while required != 0 {
            guard spans[2 * required.trailingZeroBitCount] >= 0 else { return nil }
            required &= required - 1
        }
        return parser.position
    }

    /// Checks the value of `field` has the type the decoder wants, and notes where it is.
    private mutating func readValue(of field: Int, _ parser: inout JSONParser) -> Bool {
        let bytes = parser.bytes
        let start = parser.position
        guard start < bytes.count else { return false }
        let first = bytes[start]
        if first == UInt8(ascii: "n") {
            // null: absent, where the decoder allows it.
            guard Self.required & (1 << field) == 0, (try? parser.expectLiteral("null")) != nil else { return false }
            return true
        }
        switch field {
        case Self.objectValue:
            guard first == UInt8(ascii: "{") else { return false }
            objectText.removeAll(keepingCapacity: true)
            guard writesObjectValue else { return canonical.check(&parser, depth: 2) }
            guard canonical.append(&parser, depth: 2, into: &objectText) else { return false }
            spans[2 * field] = 0
            spans[2 * field + 1] = objectText.count
            return true
        case Self.objectValueIsPartial:
            guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f"),
                  (try? parser.expectLiteral(first == UInt8(ascii: "t") ? "true" : "false")) != nil else { return false }
        default:
            guard first == UInt8(ascii: "\""), JSONCanonicalizer.skipPlainString(&parser) != nil else { return false }
        }
        spans[2 * field] = start
        spans[2 * field + 1] = parser.position
        return true
    }

    // Indices in ``GoldLabel/fieldNames``, written as literals: a `static let` is checked
    // for its first use at every read, a cost in the loop over every key of every label.
    // A test checks each against the list.
    static var runID: Int { 0 }
    static var outputResourceName: Int { 1 }
    static var id: Int { 2 }
    static var textValue: Int { 3 }
    static var objectValue: Int { 4 }
    static var objectValueIsPartial: Int { 5 }
    /// The fields the decoder requires (strings): id, account_id, run_id,
    /// output_resource_name, created_at, one bit each.
    static var required: UInt32 { 1 << 2 | 1 << 6 | 1 << 0 | 1 << 1 | 1 << 8 }

    /// The index in ``GoldLabel/fieldNames`` of the key `bytes`, found by its length and
    /// a byte or two, then compared whole (a test checks every name and near misses).
    @inline(__always)
    static func field(_ bytes: UnsafeRawBufferPointer) -> Int? {
        func match(_ name: StaticString, _ index: Int) -> Int? {
            Platform.compareBytes(name.utf8Start, bytes.baseAddress!, bytes.count) == 0 ? index : nil
        }
        switch bytes.count {
        case 2: return match("id", 2)
        case 6: return match("run_id", 0)
        case 12: return match("object_value", 4)
        case 20: return match("output_resource_name", 1)
        case 23: return match("object_value_is_partial", 5)
        case 10:
            switch (bytes[0], bytes[9]) {
            case (UInt8(ascii: "a"), _): return match("account_id", 6)
            case (UInt8(ascii: "t"), _): return match("text_value", 3)
            case (UInt8(ascii: "c"), UInt8(ascii: "y")): return match("created_by", 7)
            case (UInt8(ascii: "c"), _): return match("created_at", 8)
            case (UInt8(ascii: "u"), UInt8(ascii: "y")): return match("updated_by", 9)
            case (UInt8(ascii: "u"), _): return match("updated_at", 10)
            default: return nil
            }
        default: return nil
        }
    }
}

/// A gold label as ``GoldLabelScanner`` read it: valid only inside the scanner's `body`.
package struct ScannedGoldLabel {
    /// The label's JSON text as sent.
    package let text: UnsafeRawBufferPointer
    /// The canonical text of its `object_value`.
    let objectValue: UnsafeRawBufferPointer
    let spans: UnsafeBufferPointer<Int>

    /// The canonical JSON text of the value of `GoldLabel.fieldNames[field]`, nil when
    /// the label has none (absent or null).
    /// `object_value` only when the scanner ``GoldLabelScanner/writesObjectValue``.
    package func valueText(_ field: Int) -> UnsafeRawBufferPointer? {
        let start = spans[2 * field]
        guard start >= 0 else { return nil }
        let source = field == GoldLabelScanner.objectValue ? objectValue : text
        return UnsafeRawBufferPointer(rebasing: source[start..<spans[2 * field + 1]])
    }

    /// The UTF-8 of a string field (the text between its quotes: it has no escapes).
    package func string(_ field: Int) -> UnsafeRawBufferPointer {
        let value = valueText(field)!
        return UnsafeRawBufferPointer(rebasing: value[(value.startIndex + 1)..<(value.endIndex - 1)])
    }

    package var runID: UnsafeRawBufferPointer { string(GoldLabelScanner.runID) }
    package var outputResourceName: UnsafeRawBufferPointer { string(GoldLabelScanner.outputResourceName) }
    package var id: UnsafeRawBufferPointer { string(GoldLabelScanner.id) }

    /// The label, decoded from its text (the scanner accepted it, so the decoder does).
    package func decoded() -> GoldLabel? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return try? GoldLabel(json: value)
    }
}
