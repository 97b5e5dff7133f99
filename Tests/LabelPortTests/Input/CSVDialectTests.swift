import Testing
@testable import LabelPortCore

/// Files as spreadsheets write them, each mapping to exactly the expected rows.
@Suite("CSV dialects", .timeLimit(.minutes(10)))
struct CSVDialectTests {
    let run = InputFixtures.runID

    @Test("Excel: UTF-8 BOM, CRLF, a multi-line cell, export-only columns ignored")
    func excel() throws {
        #expect(try InputFixtures.rows("excel-bom-crlf.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", textValue: "Hello"),
            LabelRow(line: 3, runID: run, outputResourceName: "doc-2", textValue: "Line one\r\nLine two"),
        ])
        #expect(try InputFixtures.report("excel-bom-crlf.csv") == ["2 rows, no problems"])
    }

    @Test("semicolon separated, own headers mapped, typed object keys")
    func semicolon() throws {
        let options = LabelInputOptions(
            delimiter: UInt8(ascii: ";"),
            mappings: [
                try FieldMapping(parsing: "Document=output_resource_name"),
                try FieldMapping(parsing: "Answer=object_value.answer"),
                try FieldMapping(parsing: "Score=object_value.score:number"),
            ],
            runID: run.uppercased())
        let rows = try #require(try InputFixtures.rows("semicolon.csv", options: options))
        #expect(rows == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", objectValue: JSONObject([("answer", "a;b"), ("score", .number(JSONNumber("0.5")!))]),
                     objectKeyPaths: [["answer"], ["score"]]),
            LabelRow(line: 3, runID: run, outputResourceName: "doc-2", objectValue: JSONObject([("answer", "plain")]), objectKeyPaths: [["answer"]]),
        ])
        #expect(rows[0].objectValue?.keys == ["answer", "score"])
    }

    @Test("multi-line cells: rows carry the line they start on")
    func multiline() throws {
        #expect(try InputFixtures.rows("multiline.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", textValue: "first\nsecond\n\nfourth"),
            LabelRow(line: 6, runID: run, outputResourceName: "doc-2", textValue: "after"),
        ])
    }

    @Test("object_value cells hold JSON text; numbers and key order kept; booleans in any case")
    func jsonCells() throws {
        let rows = try #require(try InputFixtures.rows("json-cells.csv"))
        let first = try JSONParser.parse(#"{"z": 1, "a": [1.50, {"b": null}], "big": 12345678901234567890}"#).objectValue
        #expect(rows == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", objectValue: first, objectValueIsPartial: true),
            LabelRow(line: 3, runID: run, outputResourceName: "doc-2", objectValue: JSONObject([("text", "a, b\nc")]), objectValueIsPartial: false),
        ])
        #expect(rows[0].objectValue?.keys == ["z", "a", "big"])
        guard case .array(let array)? = rows[0].objectValue?["a"], case .number(let number) = array[0] else {
            Issue.record("a is not an array of numbers")
            return
        }
        #expect(number.literal == "1.50")
        if case .number(let big)? = rows[0].objectValue?["big"] { #expect(big.literal == "12345678901234567890") }
    }

    @Test("CJK, emoji, accents and right-to-left text come through unchanged")
    func unicode() throws {
        #expect(try InputFixtures.rows("unicode.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "文書-1", textValue: "東京の天気は晴れ"),
            LabelRow(line: 3, runID: run, outputResourceName: "emoji", textValue: "👍🏽 done 🎉"),
            LabelRow(line: 4, runID: run, outputResourceName: "accents", textValue: "Crème brûlée, naïve façade"),
            LabelRow(line: 5, runID: run, outputResourceName: "rtl", textValue: "שלום עולם مرحبا"),
        ])
    }

    @Test("a quote inside an unquoted cell is read as a character (5'11\"); cells past the header that are empty are left out")
    func lenientCells() throws {
        #expect(try InputFixtures.rows("stray-quote.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", textValue: "say \"hi\""),
        ])
        #expect(try InputFixtures.rows("trailing-delimiters.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "doc-1", textValue: "hello"),
            LabelRow(line: 3, runID: run, outputResourceName: "doc-2", textValue: "world"),
        ])
    }

    @Test("leading zeros stay text; an unknown column is one warning")
    func leadingZeros() throws {
        #expect(try InputFixtures.rows("leading-zeros.csv") == [
            LabelRow(line: 2, runID: run, outputResourceName: "007", textValue: "00123"),
        ])
        #expect(try InputFixtures.report("leading-zeros.csv") == [
            "leading-zeros.csv:1:40: warning: column \"Code\" is not a gold-label field and is ignored (to use it: --map \"Code=FIELD\")",
            "1 row, no problems (1 warning)",
        ])
    }

    @Test("object_value built from several typed columns, nested; empty cells left out")
    func objectColumns() throws {
        let options = LabelInputOptions(
            mappings: try [
                "Doc=output_resource_name", "Score=object_value.score:number", "Label=object_value.label",
                "Reviewed=object_value.meta.reviewed:boolean", "Meta=object_value.meta.extra:json",
            ].map { text throws(FieldMappingError) in try FieldMapping(parsing: text) },
            runID: run)
        let items = try InputFixtures.items("object-columns.csv", options: options)
        #expect(items.count == 3)
        guard case .row(let first, _) = items[0], case .row(let second, _) = items[1],
            case .row(let empty, _) = items[2]
        else {
            Issue.record("unexpected items \(items)")
            return
        }
        let expected = try JSONParser.parse(#"{"score": 0.90, "label": "cat", "meta": {"reviewed": true, "extra": {"k": [1]}}}"#).objectValue
        #expect(first == LabelRow(line: 2, runID: run, outputResourceName: "doc-1", objectValue: expected,
                                   objectKeyPaths: [["score"], ["label"], ["meta", "reviewed"], ["meta", "extra"]]))
        #expect(first.objectValue?.keys == ["score", "label", "meta"])
        #expect(second == LabelRow(line: 3, runID: run, outputResourceName: "doc-2", objectValue: JSONObject([("label", "dog")]), objectKeyPaths: [["label"]]))
        // All its object cells empty: no value given, which changes nothing (not an error).
        #expect(empty == LabelRow(line: 4, runID: run, outputResourceName: "doc-3"))
    }

    @Test("a run_id cell must agree with --run-id")
    func runIDClash() {
        let other = "00000000-0000-4000-8000-000000000000"
        let bytes = Array("run_id,output_resource_name,text_value\n\(other),d,t\n\(run.uppercased()),d,t\n".utf8)
        let items = InputFixtures.items(bytes: bytes, name: "x.csv", options: LabelInputOptions(runID: run))
        guard case .invalid(2, let problems, _) = items[0], case .row(let row, _) = items[1] else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(problems.map(\.message) == ["run_id \(other) differs from --run-id \(run): remove one of them (to move rows to another run, use import --remap-run \(other)=\(run))"])
        #expect(row.runID == run)
    }

    @Test("header problems from --map: missing column, two columns for one field, missing required columns")
    func headerProblems() {
        let bytes = Array("Doc,output_resource_name,x\nd,e,f\n".utf8)
        let options = LabelInputOptions(mappings: [
            FieldMapping(header: "Doc", field: .outputResourceName), FieldMapping(header: "Nope", field: .textValue),
        ])
        let items = InputFixtures.items(bytes: bytes, name: "h.csv", options: options)
        guard items.count == 1, case .invalid(1, let problems, nil) = items[0] else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(problems.map(\.description) == [
            "h.csv:1:5: columns \"Doc\" and \"output_resource_name\" both fill output_resource_name: keep one, or map one elsewhere",
            "h.csv:1: --map names the column \"Nope\" but the file has no such column; the file's columns are \"Doc\", \"output_resource_name\", \"x\" (closest: \"Doc\")",
            "h.csv:1: no run_id column: add one, or pass --run-id UUID for the whole file",
            "h.csv:1: no value column: add text_value, object_value or object_value_is_partial, or map columns to object_value.KEY with --map",
        ])
    }

    @Test("tab-separated by extension; lone CR line ends")
    func tsvAndCR() {
        let bytes = Array("output_resource_name\ttext_value\rd1\ta,b\rd2\t\"x\ty\"\r".utf8)
        let items = InputFixtures.items(bytes: bytes, name: "x.tsv", options: LabelInputOptions(runID: run))
        #expect(items == [
            .row(LabelRow(line: 2, runID: run, outputResourceName: "d1", textValue: "a,b"), InputRecord(line: 2, content: .fields(["d1", "a,b"]))),
            .row(LabelRow(line: 3, runID: run, outputResourceName: "d2", textValue: "x\ty"), InputRecord(line: 3, content: .fields(["d2", "x\ty"]))),
        ])
    }
}
