import Testing
@testable import LabelPortCore

/// Every kind of problem the readers report, each from its own fixture, with the whole
/// printed message and position.
@Suite("Input problems", .timeLimit(.minutes(10)))
struct InputProblemTests {
    static let r = InputFixtures.runID
    static let cases: [(String, [String])] = [
        ("unterminated-quote.csv", [
            "unterminated-quote.csv:3:44: unterminated quoted cell: the quote opened here is never closed; close the cell with \" (a quote inside a quoted cell is written twice: \"\")",
            "1 problem in 1 row",
        ]),
        // A quote inside a cell that is not quoted is a character of it, as spreadsheets read it.
        ("stray-quote.csv", ["1 row, no problems"]),
        ("space-before-quote.csv", [
            "space-before-quote.csv:2:45: a space before a quoted cell: delete it (else the quotes are read as characters of the cell)",
            "space-before-quote.csv:2:52: row has 4 cells but the header has 3: put cells that contain ',' in double quotes",
            "2 problems in 1 row",
        ]),
        // A delimiter at the end of each data row (past the header's cells): nothing to lose.
        ("trailing-delimiters.csv", ["2 rows, no problems"]),
        ("text-after-quote.csv", [
            "text-after-quote.csv:2:52: text after the closing quote of a quoted cell: put the whole cell in quotes and write inner quotes twice (\"\")",
            "1 problem in 1 row",
        ]),
        ("too-many-cells.csv", [
            "too-many-cells.csv:2:50: row has 4 cells but the header has 3: put cells that contain ',' in double quotes",
            "1 problem in 1 row",
        ]),
        ("too-few-cells.csv", [
            "too-few-cells.csv:2:43: row has 2 cells but the header has 3: add the missing cells (an empty cell still needs its ',')",
            "1 problem in 1 row",
        ]),
        ("invalid-utf8.csv", [
            "invalid-utf8.csv:2:49: invalid UTF-8 (byte 0xFF, \"ÿ\" in Windows-1252, which Excel's plain \"CSV\" writes): save the file as UTF-8 (from Excel: \"CSV UTF-8\")",
            "1 problem in 1 row",
        ]),
        ("nul-byte.csv", [
            "nul-byte.csv:2:45: NUL byte (0x00) in the text: the file may be UTF-16 or binary; save it as UTF-8 CSV",
            "1 problem in 1 row",
        ]),
        ("empty.csv", [
            "empty.csv: the file is empty: a CSV needs a header row, e.g. run_id,output_resource_name,text_value",
            "1 problem in 0 rows",
        ]),
        ("no-header.csv", [
            "no-header.csv:1:1: the first row (\"\(r)\", \"doc-1\", \"hello\") names no gold-label column: a CSV needs a header row such as run_id,output_resource_name,text_value, or --map \"HEADER=FIELD\" for your own column names",
            "1 problem in 0 rows",
        ]),
        ("duplicate-header.csv", [
            "duplicate-header.csv:1:40: duplicate column name \"text_value\" (also column 3): rename one of them",
            "1 problem in 0 rows",
        ]),
        ("empty-header.csv", [
            "empty-header.csv:2:38: column 2 has no header name but holds a value on this row: name the column, or delete the value",
            "1 problem in 1 row",
        ]),
        ("utf16.csv", [
            "utf16.csv:1:1: the file is UTF-16 text: save it as UTF-8 (from Excel: \"CSV UTF-8\")",
            "1 problem in 0 rows",
        ]),
        ("utf16.jsonl", [
            "utf16.jsonl:1:1: the file is UTF-16 text: save it as UTF-8 (from Excel: \"CSV UTF-8\")",
            "1 problem in 0 rows",
        ]),
        // Excel's "Unicode Text": no extension labelport knows, so read as JSONL by default.
        ("utf16.txt", [
            "utf16.txt:1:1: the file is UTF-16 text: save it as UTF-8 (from Excel: \"CSV UTF-8\")",
            "1 problem in 0 rows",
        ]),
        ("header-only.csv", ["0 rows, no problems"]),
        ("excel-sep-line.csv", [
            "excel-sep-line.csv:1:1: the first line is Excel's delimiter hint (\"sep=…\"), not a header: delete that line (labelport finds the delimiter from the header itself, or pass --delimiter)",
            "1 problem in 0 rows",
        ]),
        ("bad-values.csv", [
            "bad-values.csv:2:1: run_id \"not-a-uuid\" is not a UUID (expected 8-4-4-4-12 hex digits, e.g. 123e4567-e89b-12d3-a456-426614174000)",
            "bad-values.csv:3:91: object_value is not valid JSON: invalid literal; expected 'true'",
            "bad-values.csv:4:46: object_value must be a JSON object ({...}), found an array",
            "bad-values.csv:5: row has both text_value and object_value: a gold label holds one of them, not both",
            "bad-values.csv:6:48: object_value_is_partial \"yes\" is not a boolean: write true or false (or leave the cell empty)",
            "bad-values.csv:7: output_resource_name is missing; every row needs one",
            "6 problems in 8 rows",
        ]),
        ("invalid-json.jsonl", [
            "invalid-json.jsonl:2:95: invalid JSON: invalid literal; expected 'true'",
            "1 problem in 2 rows",
        ]),
        ("not-object.jsonl", [
            "not-object.jsonl:1:1: line holds an array, not a JSON object: each line must be one object such as {\"output_resource_name\": \"...\", \"text_value\": \"...\"}",
            "not-object.jsonl:2:3: line holds a string, not a JSON object: each line must be one object such as {\"output_resource_name\": \"...\", \"text_value\": \"...\"}",
            "2 problems in 2 rows",
        ]),
        ("truncated.jsonl", [
            "truncated.jsonl:2:82: the last line is truncated: the file ends in the middle of a JSON object (unterminated string)",
            "1 problem in 2 rows",
        ]),
        ("empty.jsonl", ["0 rows, no problems"]),
        ("bad-values.jsonl", [
            "bad-values.jsonl:1: run_id must be a UUID string, found a number",
            "bad-values.jsonl:2: text_value must be a string, found a number",
            "bad-values.jsonl:3: object_value must be a JSON object, found a string",
            "bad-values.jsonl:4: object_value_is_partial must be true, false or null, found a string",
            "bad-values.jsonl:5: run_id is missing: give the row a run_id, or pass --run-id UUID for the whole file",
            "5 problems in 5 rows",
        ]),
    ]

    @Test("each problem is reported with its place and what to do", arguments: cases.map(\.0))
    func problem(_ name: String) throws {
        let expected = InputProblemTests.cases.first { $0.0 == name }!.1
        #expect(try InputFixtures.report(name) == expected)
    }

    @Test("a long title cell in place of a header is quoted cut short, with its length")
    func longTitle() {
        let title = String(repeating: "Gold labels ", count: 30)
        let items = InputFixtures.items(bytes: Array((title + "\ndoc-1,hello\n").utf8), name: "t.csv")
        guard case .invalid(_, let problems, _)? = items.first else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(problems.map(\.description) == [
            "t.csv:1:1: the first row (\"\(title.prefix(60))…\" (360 characters)) names no gold-label column: a CSV needs a header row "
                + "such as run_id,output_resource_name,text_value, or --map \"HEADER=FIELD\" for your own column names",
        ])
    }

    @Test("a header read with a delimiter found from it, not ',', that names no column says so and how to choose")
    func guessedDelimiter() {
        let items = InputFixtures.items(bytes: Array("output_resource_name,object_value.a|b|c\nd,x|y|z\n".utf8), name: "g.csv")
        guard case .invalid(_, let problems, _)? = items.first else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(problems.map(\.description) == [
            #"g.csv:1:1: the first row ("output_resource_name,object_value.a", "b", "c") names no gold-label column: a CSV needs a header "#
                + #"row such as run_id,output_resource_name,text_value, or --map "HEADER=FIELD" for your own column names (its cells were "#
                + #"read as separated by '|', which the line holds most of: pass --delimiter ',' if the file uses commas)"#,
        ])
    }

    @Test("a fatal problem ends the input: .invalid without a record, then nil")
    func fatalEnds() throws {
        let items = try InputFixtures.items("unterminated-quote.csv")
        #expect(items.count == 2)
        guard case .row(let row, _) = items[0], case .invalid(let line, _, let record) = items[1] else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(row.outputResourceName == "doc-1")
        #expect(line == 3)
        #expect(record == nil)
    }

    @Test("an invalid row keeps its record for the rejects file")
    func invalidKeepsRecord() throws {
        let items = try InputFixtures.items("space-before-quote.csv")
        guard case .invalid(2, _, let record?) = items.first else {
            Issue.record("unexpected items \(items)")
            return
        }
        #expect(record == InputRecord(line: 2, content: .fields([InputFixtures.runID, "doc-1", " \"hello", " world\""])))
    }

    @Test("a cell over 16 MiB is refused at its start, without keeping it")
    func cellTooLong() {
        var bytes = Array("output_resource_name,text_value\nd,".utf8)
        bytes.append(contentsOf: [UInt8](repeating: UInt8(ascii: "x"), count: CSVReader.maximumFieldBytes + 1))
        bytes.append(contentsOf: Array("\nd2,ok\n".utf8))
        let options = LabelInputOptions(runID: InputFixtures.runID)
        let items = InputFixtures.items(bytes: bytes, name: "big.csv", options: options)
        #expect(items.count == 2)
        guard case .invalid(2, let diagnostics, _) = items.first else {
            Issue.record("expected an invalid row")
            return
        }
        #expect(diagnostics.map(\.description) == [
            "big.csv:2:3: cell is longer than the limit of 16 MiB (16777216 bytes): is a closing quote missing?",
        ])
        if case .row(let row, _) = items.last { #expect(row.textValue == "ok") } else { Issue.record("row after it lost") }
    }

    @Test("a character split across two cells is invalid UTF-8 in each, though the row's bytes together are valid")
    func characterSplitAcrossCells() {
        // "é" is C3 A9: the first cell ends with C3, the second starts with A9.
        var bytes = Array("output_resource_name,text_value\nd".utf8)
        bytes += [0xC3, UInt8(ascii: ","), 0xA9]
        bytes += Array("x\n".utf8)
        let items = InputFixtures.items(bytes: bytes, name: "split.csv", options: LabelInputOptions(runID: InputFixtures.runID))
        guard items.count == 1, case .invalid(2, let diagnostics, _) = items[0] else {
            Issue.record("expected one invalid row, got \(items)")
            return
        }
        #expect(diagnostics.map(\.description) == [
            "split.csv:2:2: invalid UTF-8 (byte 0xC3, \"Ã\" in Windows-1252, which Excel's plain \"CSV\" writes): save the file as UTF-8 (from Excel: \"CSV UTF-8\")",
            "split.csv:2:4: invalid UTF-8 (byte 0xA9, \"©\" in Windows-1252, which Excel's plain \"CSV\" writes): save the file as UTF-8 (from Excel: \"CSV UTF-8\")",
        ])
    }

    @Test("run_id cells are normalized the same however often a run repeats, in any case, among many runs")
    func manyRunsRepeated() {
        let runs = (0..<20).map { n in "0000000\(n % 10)-AAAA-4bbb-8CCC-\(String(repeating: "d", count: 10))\(n < 10 ? "0" : "1")\(n % 10)" }
        var text = "run_id,output_resource_name,text_value\n"
        var expected: [String] = []
        for i in 0..<200 {
            let run = runs[(i * 7) % runs.count]
            text += "\(i % 2 == 0 ? run : run.lowercased()),doc-\(i),t\n"
            expected.append(run.lowercased())
        }
        let items = InputFixtures.items(bytes: Array(text.utf8), name: "runs.csv")
        let read = items.compactMap { item -> String? in
            if case .row(let row, _) = item { return row.runID }
            return nil
        }
        #expect(read == expected)
    }

    @Test("a format guessed as JSONL says how to read CSV instead")
    func guessedFormatHint() {
        let items = InputFixtures.items(bytes: Array("a,b\n1,2\n".utf8), name: "<stdin>")
        guard case .invalid(1, let diagnostics, _) = items.first else {
            Issue.record("expected an invalid row")
            return
        }
        #expect(diagnostics[0].message.hasSuffix("(read as JSONL because the file name does not end in .csv, .tsv, .jsonl or .xlsx: pass --format csv if it is CSV)"))
    }

    @Test("a byte that is not UTF-8 is named as Windows-1252 reads it, when that encoding has a character for it")
    func windows1252Names() {
        #expect(UTF8Validation.windows1252(0x80) == "€")
        #expect(UTF8Validation.windows1252(0x9F) == "Ÿ")
        #expect(UTF8Validation.windows1252(0xE9) == "é")
        #expect(UTF8Validation.windows1252(0x81) == nil, "undefined in Windows-1252")
        #expect(UTF8Validation.windows1252(0xA0) == nil, "a no-break space shows nothing")
        let items = InputFixtures.items(bytes: [UInt8]("run_id,output_resource_name,text_value\n3f1c1f0e-1111-4111-8111-111111111111,a,".utf8) + [0x81, 0x0A], name: "odd.csv")
        guard case .invalid(2, let diagnostics, _) = items.first else {
            Issue.record("expected an invalid row")
            return
        }
        #expect(diagnostics.map(\.message) == [#"invalid UTF-8 (byte 0x81): save the file as UTF-8 (from Excel: "CSV UTF-8")"#])
    }

    @Test("a CSV named .jsonl: its first line that looks like CSV says so, once; a broken JSON line does not")
    func csvNamedJSONL() {
        let items = InputFixtures.items(bytes: Array("output_resource_name;text_value\na.pdf;x\n".utf8), name: "labels.jsonl")
        let messages = items.compactMap { item -> String? in
            guard case .invalid(_, let diagnostics, _) = item else { return nil }
            return diagnostics[0].message
        }
        #expect(messages == [
            "invalid JSON: unexpected character 'o'; expected a JSON value (the line looks like CSV: if the file is CSV, name it .csv or pass --format csv)",
            "invalid JSON: unexpected character 'a'; expected a JSON value",
        ])
        let broken = InputFixtures.items(bytes: Array("{\"output_resource_name\": \"a\", \"text_value\": x, y}\n".utf8), name: "labels.jsonl")
        guard case .invalid(1, let diagnostics, _) = broken.first else {
            Issue.record("expected an invalid row")
            return
        }
        #expect(!diagnostics[0].message.contains("CSV"))
    }
}

/// A problem is one line, as tools that read `FILE:LINE: message` need: a quoted cell
/// with a line break split the line in two.
@Suite("Problems on one line", .timeLimit(.minutes(1)))
struct DiagnosticLineTests {
    @Test("line breaks and other control characters in a message are escapes")
    func escaped() throws {
        let lines = try InputFixtures.report("multiline-number.csv", options: LabelInputOptions(runID: TestSandbox.runA))
        #expect(lines == [#"multiline-number.csv:2:8: object_value.n: "1\n2" is not a number (e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators; --decimal-comma reads 0,75)"#, "1 problem in 1 row"])
        let diagnostic = Diagnostic(file: "f.csv", line: 3, message: "a\r\nb\tc\u{1}d é")
        #expect(diagnostic.description == #"f.csv:3: a\r\nb\tc\u{1}d é"#)
    }
}
