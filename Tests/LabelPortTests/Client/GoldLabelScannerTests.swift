@testable import LabelPortCore
import Testing

/// The fast path that reads a big run's labels without building them, against the
/// parser and decoder of record: whatever it accepts gives the same export row, run,
/// name and id; whatever they refuse, it leaves to them.
@Suite("labels read without building them", .timeLimit(.minutes(2)))
struct GoldLabelScannerTests {
    static let run = "11111111-1111-4111-8111-111111111111"
    static func label(_ fields: String) -> String {
        #"{"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","account_id":"acc","run_id":"\#(run)","output_resource_name":"documents/1.pdf",\#(fields)"created_at":"2024-01-01T00:00:00Z"}"#
    }

    /// Labels the fast path must take (no escapes, no duplicate keys, valid).
    static let plain: [String] = [
        label(""),
        label(#""object_value":{"z":1,"a":{"y":[1,{"b":2,"a":1}],"x":null},"é":"ü","日本":"語","":0},"object_value_is_partial":true,"#),
        label(#""object_value": { "big" : 9007199254740993 , "n" : -0.0e+5 , "arr" : [ ] , "o" : { } } , "#),
        label(#""text_value":"naïve 🐱","object_value":null,"object_value_is_partial":null,"created_by":null,"updated_by":"u","updated_at":"t","#),
        label(#""extra":{"k":[true,false,null,{"deep":{"er":[]}}]},"other":1.5,"#),
        label(#""object_value":{"ab":1,"a":2,"abc":3,"b":4,"A":5},"#),
        label(#""object_value":{"a":{"d":1,"c":{"f":[{"y":1,"x":2}],"e":0}},"b":[],"c":3},"#),
    ]

    /// Labels the fast path must leave to the parser: escapes, duplicate keys, and
    /// everything the parser or the decoder refuses.
    static let leftOver: [String] = [
        label(#""text_value":"a \"quote\"","#),
        label(#""object_value":{"k\u00e9":1},"#),
        label(#""object_value":{"a":1,"a":2},"#),
        label(#""object_value":{"o":{"a":1,"a":1}},"#),
        label(#""object_value":{"a":1,"b":2,"a":3},"#),
        label(#""object_value":{"a":1,"b":{"c":1,"d":2,"c":3},"e":1},"#),
        label(#""extra":{"a":1,"a":2},"#),
        label(#""extra":1,"extra":2,"#),
        label(#""text_value":"x","text_value":"y","#),
        label(#""object_value":[1],"#),
        label(#""object_value_is_partial":"yes","#),
        label(#""text_value":5,"#),
        label(#""object_value":{"n":01},"#),
        label(#""object_value":{"n":1.},"#),
        label(#""object_value":{"n":tru},"#),
        label(#""object_value":{"a":1,},"#),
        #"{"id":"a","account_id":"acc","run_id":"r","output_resource_name":"n"}"#,
        #"{"id":null,"account_id":"acc","run_id":"r","output_resource_name":"n","created_at":"t"}"#,
        "{}", "[]", "1", #""x""#,
        label(#""object_value":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "},"),
    ]

    /// The row the export encoder writes for the label the parser and decoder make of `text`.
    static func classicRow(_ text: String) -> [UInt8]? {
        guard let value = try? JSONParser.parse(text), let label = try? GoldLabel(json: value) else { return nil }
        var row: [UInt8] = []
        ExportEncoder<GoldLabel>(format: .jsonl).append(label, into: &row)
        return row
    }

    /// The row written from the scanned label, with its run, name and id; nil when left over.
    static func scannedRow(_ text: String) -> (row: [UInt8], keys: [String])? {
        var scanner = GoldLabelScanner()
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            scanner.scan(raw) { label in
                var row: [UInt8] = []
                ExportEncoder<GoldLabel>(format: .jsonl).appendLine(into: &row) { index, out in
                    guard let text = label.valueText(index) else { return false }
                    out.append(contentsOf: text)
                    return true
                }
                let keys = [label.runID, label.outputResourceName, label.id].map { String(decoding: $0, as: UTF8.self) }
                return (row, keys)
            }
        }
    }

    @Test("the scanner's field table: every field name at its index, no near miss, the required fields")
    func fieldTable() {
        for (index, name) in GoldLabel.fieldNames.enumerated() {
            #expect(Array(name.utf8).withUnsafeBytes(GoldLabelScanner.field) == index, "\(name)")
        }
        let misses = ["", "i", "ID", "ie", "run_ie", "Run_id", "account_ie", "text_valuf", "created_bz", "created_az", "updated_bx",
                      "updated_ax", "xpdated_at", "cxeated_at", "object_valuf", "output_resource_namf", "object_value_is_partiaL", "object_values"]
        for miss in misses {
            #expect(Array(miss.utf8).withUnsafeBytes(GoldLabelScanner.field) == nil, "\(miss)")
        }
        func index(_ name: String) -> Int { GoldLabel.fieldNames.firstIndex(of: name)! }
        #expect(GoldLabelScanner.runID == index("run_id"))
        #expect(GoldLabelScanner.outputResourceName == index("output_resource_name"))
        #expect(GoldLabelScanner.id == index("id"))
        #expect(GoldLabelScanner.textValue == index("text_value"))
        #expect(GoldLabelScanner.objectValue == index("object_value"))
        #expect(GoldLabelScanner.objectValueIsPartial == index("object_value_is_partial"))
        let required = ["id", "account_id", "run_id", "output_resource_name", "created_at"].reduce(UInt32(0)) { $0 | 1 << index($1) }
        #expect(GoldLabelScanner.required == required)
    }

    /// The run, name and id of the scanned label when `object_value` is only checked
    /// (``GoldLabelScanner/writesObjectValue`` false, as for labels kept as sent); nil when left over.
    static func checkedKeys(_ text: String) -> [String]? {
        var scanner = GoldLabelScanner()
        scanner.writesObjectValue = false
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw in
            scanner.scan(raw) { label in
                [label.runID, label.outputResourceName, label.id].map { String(decoding: $0, as: UTF8.self) }
            }
        }
    }

    @Test("a plain label is read fast, to the row, run, name and id the decoder gives", arguments: plain)
    func plainLabel(text: String) throws {
        let scanned = try #require(Self.scannedRow(text), "left to the parser")
        let classic = try #require(Self.classicRow(text))
        #expect(String(decoding: scanned.row, as: UTF8.self) == String(decoding: classic, as: UTF8.self))
        let label = try GoldLabel(json: JSONParser.parse(text))
        #expect(scanned.keys == [label.runID, label.outputResourceName, label.id])
        #expect(Self.checkedKeys(text) == scanned.keys, "object_value only checked")
    }

    @Test("a label with an escape, a duplicate key or an error is left to the parser", arguments: leftOver)
    func leftToParser(text: String) {
        #expect(Self.scannedRow(text) == nil)
        #expect(Self.checkedKeys(text) == nil, "object_value only checked")
    }

    /// The list reader's answer of mixed labels: fast ones and left-over ones in one run.
    static let answer = "[" + (plain + [label(#""text_value":"a \"quote\"","#), label(#""object_value":{"o":{"a":1,"a":1}},"#)]).joined(separator: " ,\n") + "]"

    @Test("an export run built from a list answer cut anywhere: the rows of the classic path")
    func exportRunAnyCut() throws {
        let text = Array(Self.answer.utf8)
        let encoder = ExportEncoder<GoldLabel>(format: .jsonl)
        // A duplicate key inside object_value: the whole answer is refused, as by the parser.
        let refused = Self.read(text, cuts: [], body: .row(encoder))
        guard case .failure(.syntax(let error)) = refused else {
            Issue.record("expected the duplicate key refused, got \(refused)")
            return
        }
        #expect(error.message.contains("duplicate key \"a\""))

        let valid = Array(("[" + (Self.plain + [Self.label(#""text_value":"a \"quote\"","#)]).joined(separator: ",") + "]").utf8)
        let labels = try GoldLabelListReaderTests.whole(valid).get()
        let expected = labels.map { label in
            var row: [UInt8] = []
            encoder.append(label, into: &row)
            return row
        }
        for cut in 0...valid.count {
            let run = try Self.read(valid, cuts: [cut], body: .row(encoder)).get()
            #expect(run.indices.map { Array(run.bodyBytes($0)) } == expected, "cut at \(cut)")
            #expect(run.indices.map(run.id) == labels.map(\.id))
        }
        let asSent = try Self.read(valid, cuts: [valid.count / 2], body: .asSent).get()
        #expect(asSent.labels == labels)
        #expect(asSent.indices.map(asSent.outputResourceName) == labels.map(\.outputResourceName))
    }

    /// Malformed answers, some after labels the fast path takes whole.
    static let malformed = GoldLabelListReaderTests.malformed + [
        "[\(plain[0]) x]", "[\(plain[1]),\(plain[2])", "[\(plain[1]),{\"a\":1,\"a\":2}]", "[\(plain[0])}",
        "[\(plain[3]),\(label(#""object_value":{"a":[1,2}"#))]", "[\(plain[0]),\(plain[0].dropLast())",
    ]

    @Test("a malformed answer read by the fast path: the parser's error, message and byte, wherever it is cut", arguments: malformed)
    func malformedAnswer(text: String) {
        let bytes = Array(text.utf8)
        let expected: GoldLabelListError? = if case .failure(let error) = GoldLabelListReaderTests.whole(bytes) { error } else { nil }
        for cut in 0...bytes.count {
            for body in [CompactRun.Body.asSent, .row(ExportEncoder<GoldLabel>(format: .jsonl))] {
                let got: GoldLabelListError? = if case .failure(let error) = Self.read(bytes, cuts: [cut], body: body) { error } else { nil }
                #expect(got == expected, "cut at \(cut)")
            }
        }
    }

    static func read(_ text: [UInt8], cuts: [Int], body: CompactRun.Body) -> Result<CompactRun, GoldLabelListError> {
        GoldLabelListReaderTests.streamed(text, cuts: cuts, into: CompactRun.Builder(body: body)).map { $0.finish() }
    }
}
