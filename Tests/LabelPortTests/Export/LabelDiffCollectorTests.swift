import LabelPortCore
import Testing

/// The dry run's comparison of a list answer with an earlier export: labels whose bytes
/// are the file's are taken as unchanged without decoding; every answer gives the same
/// differences as comparing each label decoded.
@Suite("export --dry-run: comparing an answer with the file", .timeLimit(.minutes(1)))
struct LabelDiffCollectorTests {
    static let run = "aaaa0000-0000-4000-8000-00000000000a"

    /// A label as the server sends it.
    static func served(_ id: String, _ name: String, _ fields: String) -> String {
        #"{"id":"\#(id)","run_id":"\#(run)","account_id":"acc","output_resource_name":"\#(name)",\#(fields)"created_at":"2024-01-01T00:00:00Z"}"#
    }

    /// A label as an export file holds it: its values parsed from `values` (an object
    /// with text_value, object_value, object_value_is_partial).
    static func filed(_ id: String, _ name: String, _ values: String) throws -> StoredLabel {
        let object = try #require(try JSONParser.parse(values).objectValue)
        var parsed = LabelValues()
        if case .string(let text)? = object["text_value"] { parsed.textValue = text }
        if case .object(let value)? = object["object_value"] { parsed.objectValue = value }
        if case .bool(let partial)? = object["object_value_is_partial"] { parsed.objectValueIsPartial = partial }
        return StoredLabel(runID: run, id: id, outputResourceName: name, values: parsed)
    }

    /// The collector's view of the answer, fed only decoded labels (no byte comparison).
    struct DecodedOnly: GoldLabelCollector {
        var inner: LabelDiffCollector
        mutating func add(_ label: GoldLabel, bytes: UnsafeRawBufferPointer) { inner.add(label, bytes: bytes) }
    }

    static func id(_ n: Int) -> String { "dddd0000-0000-4000-8000-" + String(repeating: "0", count: 12 - String(n).count) + String(n) }

    @Test("same bytes, other key order, other number spelling, escapes, letter case of ids: the same differences as decoding every label")
    func fastPathAgreesWithDecoding() throws {
        let answer = [
            Self.served(Self.id(1), "same", #""object_value":{"a":1,"b":[true,null,"ü"]},"object_value_is_partial":false,"#),
            Self.served(Self.id(2), "key-order", #""object_value":{"b":2,"a":1},"#),
            Self.served(Self.id(3), "number-spelling", #""object_value":{"x":1.50,"y":2E+3},"#),
            Self.served(Self.id(4), "escaped", #""text_value":"line\nbreak \"q\"","#),
            Self.served(Self.id(5), "changed", #""text_value":"new","#),
            Self.served(Self.id(6), "renamed-now", #""text_value":"r","#),
            Self.served(Self.id(7), "added", #""text_value":"a","#),
            Self.served(Self.id(8).uppercased(), "upper-id", #""text_value":null,"object_value":{"k":"v"},"#),
            Self.served(Self.id(1), "same", #""text_value":"a second label with a taken id","#),
            Self.served(Self.id(10), "partial-absent", #""object_value":{"k":1},"#),
        ]
        var builder = CompactRun.Builder(body: .asSent)
        for label in [
            try Self.filed(Self.id(1), "same", #"{"object_value":{"a":1,"b":[true,null,"ü"]},"object_value_is_partial":false}"#),
            try Self.filed(Self.id(2), "key-order", #"{"object_value":{"a":1,"b":2}}"#),
            try Self.filed(Self.id(3), "number-spelling", #"{"object_value":{"x":1.5,"y":2000}}"#),
            try Self.filed(Self.id(4), "escaped", #"{"text_value":"line\nbreak \"q\""}"#),
            try Self.filed(Self.id(5), "changed", #"{"text_value":"old"}"#),
            try Self.filed(Self.id(6), "renamed-before", #"{"text_value":"r"}"#),
            try Self.filed(Self.id(8), "upper-id", #"{"object_value":{"k":"v"}}"#),
            try Self.filed(Self.id(9), "removed", #"{"text_value":"gone"}"#),
            try Self.filed(Self.id(10), "partial-absent", #"{"object_value":{"k":1},"object_value_is_partial":false}"#),
        ] {
            StoredLabels.add(label, to: &builder, canonical: true)
        }
        let old = CompactRunIndex(builder.finish(), byName: false)
        let collector = try CopyDestinationTests.read(answer, into: LabelDiffCollector(old: old))
        #expect(collector.unchangedAsBytes == 3, "same, key-order and upper-id; the others are decoded")
        let fast = collector.finish()
        let decoded = try CopyDestinationTests.read(answer, into: DecodedOnly(inner: LabelDiffCollector(old: old))).inner.finish()
        #expect(fast.json == decoded.json)
        #expect(fast.countsLine == "2 added, 1 removed, 3 changed, 5 unchanged", "\(fast.render(DiffRenderer(color: false)))")
    }

    @Test("an export's JSONL read by the scanner: the same stored labels as import's reader gives; any other file left to it")
    func scannedExportFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let lines = [
            Self.served(Self.id(1), "a", #""object_value":{"a":1,"b":[true,null,"ü"]},"object_value_is_partial":false,"#),
            Self.served(Self.id(2).uppercased(), "b", #""text_value":"","#),
            Self.served(Self.id(3), "c", ""),
        ]
        let path = try dir.write("backup.jsonl", lines.joined(separator: "\n") + "\n")
        let runs = try #require(ExportFileScanner.read(path: path))
        #expect(Array(runs.keys) == [Self.run])
        let scanned = try #require(runs[Self.run])
        #expect(scanned.lines == [1, 2, 3])
        var expected = CompactRun.Builder(body: .asSent)
        for label in [
            try Self.filed(Self.id(1), "a", #"{"object_value":{"a":1,"b":[true,null,"ü"]},"object_value_is_partial":false}"#),
            try Self.filed(Self.id(2), "b", #"{"text_value":""}"#),
            try Self.filed(Self.id(3), "c", "{}"),
        ] {
            StoredLabels.add(label, to: &expected, canonical: true)
        }
        let (got, want) = (scanned.run.finish(), expected.finish())
        #expect(got.count == want.count)
        for i in got.indices {
            #expect(Array(got.bodyBytes(i)) == Array(want.bodyBytes(i)))
            #expect(StoredLabels.storedLabel(got, i) == StoredLabels.storedLabel(want, i))
        }
        // Left to import's reader, which names the problem or reads what the scanner does not.
        for odd in [
            Self.served(Self.id(4), "escaped", #""text_value":"a\nb","#),
            Self.served(Self.id(5), "both", #""text_value":"t","object_value":{},"#),
            Self.served("not-a-uuid", "bad-id", ""),
            Self.served(Self.id(6), "partial-on-text", #""text_value":"t","object_value_is_partial":true,"#),
            #"{"output_resource_name":"no-id"}"#,
        ] {
            let file = try dir.write("odd.jsonl", lines[0] + "\n" + odd + "\n")
            #expect(ExportFileScanner.read(path: file) == nil, "\(odd)")
        }
    }
}
