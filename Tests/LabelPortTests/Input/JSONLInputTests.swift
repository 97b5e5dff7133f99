import Testing
@testable import LabelPortCore

@Suite("JSONL input", .timeLimit(.minutes(10)))
struct JSONLInputTests {
    let run = InputFixtures.runID

    @Test("blank lines and CRLF allowed; nulls absent; key order kept; unknown key warned once")
    func blankLines() throws {
        let items = try InputFixtures.items("blank-lines.jsonl")
        let object = try JSONParser.parse(#"{"b": 1, "a": {"y": 2, "x": 1.0}}"#).objectValue
        #expect(items.count == 2)
        guard case .row(let first, let record) = items[0], case .row(let second, _) = items[1] else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(first == LabelRow(line: 2, runID: run, outputResourceName: "d1", textValue: ""))
        #expect(record == InputRecord(line: 2, content: .text(#"{"run_id": "\#(run)", "output_resource_name": "d1", "text_value": ""}"#)))
        #expect(second == LabelRow(line: 5, runID: run, outputResourceName: "d2", objectValue: object))
        #expect(second.objectValue?.keys == ["b", "a"])
        #expect(try InputFixtures.report("blank-lines.jsonl") == [
            "blank-lines.jsonl:5: warning: key \"extra\" is not a gold-label field and is ignored (to use it: --map \"extra=FIELD\")",
            "2 rows, no problems (1 warning)",
        ])
    }

    @Test("--map renames keys and converts string values by type")
    func mapping() throws {
        let line = #"{"doc": "d", "score": "1.50", "ok": "TRUE", "n": 3, "run_id": "\#(run)"}"#
        let options = LabelInputOptions(mappings: try [
            "doc=output_resource_name", "score=object_value.score:number", "ok=object_value.ok:boolean", "n=object_value.n:number",
        ].map { text throws(FieldMappingError) in try FieldMapping(parsing: text) })
        let items = InputFixtures.items(bytes: Array(line.utf8), name: "m.jsonl", options: options)
        let expected = try JSONParser.parse(#"{"score": 1.50, "ok": true, "n": 3}"#).objectValue
        guard case .row(let row, _)? = items.first else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(row == LabelRow(line: 1, runID: run, outputResourceName: "d", objectValue: expected, objectKeyPaths: [["score"], ["ok"], ["n"]]))
    }

    @Test("keys are read as CSV headers are: object_value.KEY:TYPE typed; a field or --map matched ignoring case and spaces, with one warning")
    func keysAsHeaders() throws {
        let text = """
            {"Output_Resource_Name": "a", "object_value.t:number": "123456789012345678901234567890", "object_value.k": 5, "Score ": "0.5"}
            {"Output_Resource_Name": "b", "object_value.t:number": 7, "object_value.ok:BOOLEAN": "TRUE", "object_value.x:float": "1"}
            """
        var input = LabelInput(
            bytes: Array(text.utf8), displayName: "k.jsonl",
            options: LabelInputOptions(mappings: [try FieldMapping(parsing: "score=object_value.score:number")], runID: run))
        var items: [LabelInputItem] = []
        while let item = input.next() { items.append(item) }
        let first = try JSONParser.parse(#"{"t": 123456789012345678901234567890, "k": 5, "score": 0.5}"#).objectValue
        guard items.count == 2, case .row(var row, _) = items[0], case .invalid(2, let problems, _) = items[1] else {
            Issue.record("unexpected items \(items)")
            return
        }
        row.objectKeyPaths = nil
        #expect(row == LabelRow(line: 1, runID: run, outputResourceName: "a", objectValue: first))
        #expect(problems.map(\.description) == [
            "k.jsonl:2: key \"object_value.x:float\": unknown type ':float'; use :number, :boolean, :json or :string "
                + "(a key holding ':' cannot be an object_value.KEY key: put it in object_value)",
        ])
        #expect(input.warnings.map(\.description) == [
            "k.jsonl:1: warning: key \"Output_Resource_Name\" is read as output_resource_name (ignoring spaces and letter case)",
            "k.jsonl:1: warning: key \"Score \" is read as --map \"score\" (ignoring spaces and letter case)",
        ])
    }

    @Test("a --map key that no line has is a problem of the file, listing the first line's keys and the closest")
    func mapKeyMissing() throws {
        let text = #"{"doc": "a", "score": 1, "text_value": "x"}"# + "\n" + #"{"doc": "b", "text_value": "y"}"# + "\n"
        let mappings = try ["doc=output_resource_name", "Scroe=object_value.score", "Score=object_value.s"].map { text throws(FieldMappingError) in
            try FieldMapping(parsing: text)
        }
        let items = InputFixtures.items(bytes: Array(text.utf8), name: "m.jsonl", options: LabelInputOptions(mappings: mappings, runID: run))
        #expect(items.count == 3)
        guard case .invalid(0, let problems, nil)? = items.last else {
            Issue.record("unexpected items \(items)")
            return
        }
        // "Score" is had loosely (by "score"), with a warning; "Scroe" by no line.
        #expect(problems.map(\.description) == [
            #"m.jsonl: --map names the key "Scroe" but no line has it; the first line's keys are "doc", "score", "text_value" (closest: "score")"#,
        ])
    }

    @Test("a last line without a line break that is complete JSON is fine")
    func lastLineComplete() {
        let bytes = Array(#"{"output_resource_name": "d", "text_value": "t"}"#.utf8)
        let items = InputFixtures.items(bytes: bytes, name: "x.jsonl", options: LabelInputOptions(runID: run))
        #expect(items.count == 1)
        if case .row(let row, _)? = items.first { #expect(row.textValue == "t") } else { Issue.record("no row") }
    }

    @Test("a BOM is skipped and columns count characters, not bytes")
    func bomAndColumns() {
        let bytes = UTF8Validation.byteOrderMark + Array(#"{"output_resource_name": "ü", "text_value": x}"#.utf8)
        let items = InputFixtures.items(bytes: bytes, name: "x.jsonl", options: LabelInputOptions(runID: run, chunkSize: 2))
        guard case .invalid(1, let problems, _)? = items.first else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(problems.map(\.description) == ["x.jsonl:1:45: invalid JSON: unexpected character 'x'; expected a JSON value"])
    }
}

@Suite("Field mappings", .timeLimit(.minutes(10)))
struct FieldMappingTests {
    @Test("HEADER=FIELD[:TYPE] parses")
    func parses() throws {
        #expect(try FieldMapping(parsing: "Doc=output_resource_name") == FieldMapping(header: "Doc", field: .outputResourceName))
        #expect(try FieldMapping(parsing: "a=b=object_value.x.y:JSON") == FieldMapping(header: "a=b", field: .objectKey(["x", "y"]), type: .json))
        #expect(try FieldMapping(parsing: "S=object_value.s:number").type == .number)
        #expect(try FieldMapping(parsing: "Run=run_id").field == .runID)
    }

    @Test("malformed --map values say what is wrong", arguments: [
        ("Doc", "--map \"Doc\": expected HEADER=FIELD, e.g. --map \"Document=output_resource_name\""),
        ("=text_value", "--map \"=text_value\": the header name before '=' is empty"),
        ("A=colour", "--map \"A=colour\": unknown field 'colour'; use run_id, output_resource_name, id, text_value, object_value, object_value_is_partial or object_value.KEY"),
        ("A=object_value.x:int", "--map \"A=object_value.x:int\": unknown type ':int'; use :string, :number, :boolean or :json"),
        ("A=text_value:number", "--map \"A=text_value:number\": a type applies only to object_value.KEY fields; text_value has a fixed type"),
        ("A=object_value..x", "--map \"A=object_value..x\": unknown field 'object_value..x'; use run_id, output_resource_name, id, text_value, object_value, object_value_is_partial or object_value.KEY"),
        ("A=created_at", "--map \"A=created_at\": unknown field 'created_at'; use run_id, output_resource_name, id, text_value, object_value, object_value_is_partial or object_value.KEY"),
    ])
    func refuses(_ text: String, _ message: String) {
        #expect(throws: FieldMappingError(message)) { try FieldMapping(parsing: text) }
    }
}

@Suite("Record writer", .timeLimit(.minutes(10)))
struct RecordWriterTests {
    @Test("CSV rejects: header once, same delimiter, cells quoted as needed")
    func csv() {
        var writer = RecordWriter(format: .csv, header: ["a", "b"], delimiter: UInt8(ascii: ";"))
        var out: [UInt8] = []
        writer.append(InputRecord(line: 2, content: .fields(["x;y", "1"])), into: &out)
        writer.append(InputRecord(line: 3, content: .fields(["z", "say \"hi\""])), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a;b\n\"x;y\";1\nz;\"say \"\"hi\"\"\"\n")
    }

    @Test("JSONL rejects: the lines as read")
    func jsonl() {
        var writer = RecordWriter(format: .jsonl, header: nil)
        var out: [UInt8] = []
        writer.appendHeader(into: &out)
        writer.append(InputRecord(line: 1, content: .text(#"{"a": 1}"#)), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "{\"a\": 1}\n")
    }

    @Test("JSONL rejects keep the input's byte order mark and CRLF line ends")
    func jsonlDialect() {
        let text = "\u{FEFF}{\"output_resource_name\": \"a\", \"text_value\": 1}\r\n{\"output_resource_name\": \"b\", \"text_value\": 2}\r\n"
        var input = LabelInput(bytes: Array(text.utf8), displayName: "in.jsonl", options: LabelInputOptions(runID: TestSandbox.runA))
        var records: [InputRecord] = []
        while let item = input.next() {
            if case .invalid(_, _, let record?) = item { records.append(record) }
        }
        var writer = RecordWriter(for: input)
        var out: [UInt8] = []
        writer.appendHeader(into: &out)
        for record in records { writer.append(record, into: &out) }
        #expect(out == Array(text.utf8))
        var plain = LabelInput(bytes: Array("{\"output_resource_name\": \"a\", \"text_value\": 1}\n".utf8), displayName: "in.jsonl", options: LabelInputOptions(runID: TestSandbox.runA))
        while plain.next() != nil {}
        #expect(!plain.hadByteOrderMark && !plain.crlf)
    }

    @Test("a rejects file read back gives the same records")
    func roundTrip() throws {
        var input = try LabelInput(path: InputFixtures.path("bad-values.csv"), options: LabelInputOptions())
        var writer: RecordWriter?
        var out: [UInt8] = []
        var records: [InputRecord] = []
        while let item = input.next() {
            guard case .invalid(_, _, let record?) = item else { continue }
            if writer == nil { writer = RecordWriter(for: input) }
            writer!.append(record, into: &out)
            records.append(record)
        }
        var again = LabelInput(bytes: out, displayName: "rejects.csv", options: LabelInputOptions())
        var reread: [InputRecord.Content] = []
        while let item = again.next() {
            if case .invalid(_, _, let record?) = item { reread.append(record.content) }
        }
        #expect(records.count == 6, "every row of bad-values.csv but the two valid ones")
        #expect(reread == records.map(\.content))
    }
}
