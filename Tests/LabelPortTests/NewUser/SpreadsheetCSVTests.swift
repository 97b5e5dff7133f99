import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Issue 14, items 5, 6, 7 and the rejects part of 11: CSVs as spreadsheets write them.
@Suite("spreadsheet-style CSV input", .timeLimit(.minutes(2)))
struct SpreadsheetCSVTests {
    static let run = ImportFixtures.runA

    func validate(_ name: String, _ text: String, _ extra: [String] = []) async throws -> (CLIResult, String) {
        let dir = try TemporaryDirectory()
        let file = try dir.write(name, text)
        let result = await runLabelPort(["validate", file] + extra)
        dir.remove()
        return (result, file)
    }

    @Test("the delimiter is found from the header line and named in the summary", arguments: [
        (";", "';'"), ("\t", "a tab"), ("|", "'|'"),
    ])
    func delimiterFound(delimiter: String, name: String) async throws {
        let d = delimiter
        let (result, _) = try await validate("labels.csv", "output_resource_name\(d)text_value\(d)run_id\ndoc-1\(d)a,b\(d)\(Self.run)\n")
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == "1 row, no problems (cells separated by \(name))\n")
    }

    @Test("--decimal-comma reads 0,75 and 1.234,5 in :number columns")
    func decimalComma() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("eu.csv", "Dokument;Wert;Menge\ndoc-1;0,75;1.234,5\ndoc-2;-3;12\n")
            let maps = ["--run-id", Self.run, "--decimal-comma", "--map", "Dokument=output_resource_name",
                        "--map", "Wert=object_value.value:number", "--map", "Menge=object_value.amount:number"]
            let result = try await ImportFixtures.importFile(file, sandbox, dir, maps)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("eu.csv: cells separated by ';'"))
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["doc-1"]?.objectValue == (try ImportFixtures.value(#"{"value":0.75,"amount":1234.5}"#)))
            #expect(labels["doc-2"]?.objectValue == (try ImportFixtures.value(#"{"value":-3,"amount":12}"#)))
        }
        let (refused, file) = try await validate("eu.csv", "output_resource_name;object_value.v:number\nd;0,75\n", ["--run-id", Self.run])
        #expect(refused.status == 2)
        #expect(refused.stdout.hasPrefix("\(file):2:3: object_value.v: \"0,75\" is not a number ("))
        #expect(refused.stdout.contains("--decimal-comma reads 0,75"))
        // 1.234 is JSON's 1.234 and a German 1234: refused rather than guessed; 1.5 and
        // 1.234.567 can be read one way only.
        let (ambiguous, euFile) = try await validate(
            "eu.csv", "output_resource_name;object_value.v:number\nd1;1.234\nd2;1.5\nd3;1.234.567\nd4;-12.345\n",
            ["--run-id", Self.run, "--decimal-comma"])
        #expect(ambiguous.status == 2)
        #expect(ambiguous.stdout == """
            \(euFile):2:4: object_value.v: "1.234" is ambiguous with --decimal-comma (1.234 or 1234?): write 1234 for the thousands, or 1,234 for the decimals
            \(euFile):5:4: object_value.v: "-12.345" is ambiguous with --decimal-comma (-12.345 or -12345?): write -12345 for the thousands, or -12,345 for the decimals
            2 problems in 4 rows (cells separated by ';')

            """)
        // A workbook's number cell holds a number, not text to guess at: 1.234 is 1.234.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var bytes: [UInt8] = []
        try XlsxWriter(sheetName: "labels").write(
            header: ["output_resource_name", "object_value.v:number"], rows: [[.text("d1"), .number(JSONNumber("1.234")!)]],
            to: { bytes += $0 })
        let book = try dir.write("eu.xlsx", bytes: bytes)
        let sheet = await runLabelPort(["validate", book, "--run-id", Self.run, "--decimal-comma"])
        #expect(sheet.status == 0, "\(sheet.stdout)")
        #expect(sheet.stdout == "1 row, no problems\n", "\(sheet.stdout)")
    }

    @Test("headers differing in spaces and case match with a warning; two such headers are an error")
    func looseHeaders() async throws {
        let (result, file) = try await validate(
            "labels.csv", "Document ,Output_Resource_Name2,TEXT_VALUE\ndoc-1,x,hello\n",
            ["--run-id", Self.run, "--map", "Document=output_resource_name"])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == """
            \(file):1:1: warning: column "Document " is read as --map "Document" (ignoring spaces and letter case)
            \(file):1:33: warning: column "TEXT_VALUE" is read as text_value (ignoring spaces and letter case)
            \(file):1:11: warning: column "Output_Resource_Name2" is not a gold-label field and is ignored (to use it: --map "Output_Resource_Name2=FIELD")
            1 row, no problems (3 warnings; cells separated by ',')

            """)

        let (twice, twiceFile) = try await validate("labels.csv", "Text_Value,text_value ,output_resource_name\na,b,c\n", ["--run-id", Self.run])
        #expect(twice.status == 2)
        #expect(twice.stdout == """
            \(twiceFile):1: columns "Text_Value" and "text_value " both match text_value when spaces and letter case are ignored: rename one of them
            1 problem in 0 rows (cells separated by ',')

            """)

        // One problem: the --map header is not also said to be missing, nor its field.
        let (mapped, mappedFile) = try await validate(
            "labels.csv", "DOCUMENT,DOCUMENT ,text_value\na,b,c\n", ["--run-id", Self.run, "--map", "Document=output_resource_name"])
        #expect(mapped.status == 2)
        #expect(mapped.stdout == """
            \(mappedFile):1: columns "DOCUMENT" and "DOCUMENT " both match --map "Document" when spaces and letter case are ignored: rename one of them
            1 problem in 0 rows (cells separated by ',')

            """)
    }

    @Test("object_value.KEY:TYPE headers: the type read in any letter case, loosely matched too; an unknown type is a problem, not a key")
    func typedKeyHeaders() async throws {
        let (loose, looseFile) = try await validate(
            "typed.csv", "output_resource_name,Object_Value.Score:Number,object_value.ok:BOOLEAN\ndoc-1,1.5,true\ndoc-2,abc,TRUE\n", ["--run-id", Self.run])
        #expect(loose.status == 2, "\(loose.stdout)")
        #expect(loose.stdout == """
            \(looseFile):1:22: warning: column "Object_Value.Score:Number" is read as object_value.Score:number (ignoring spaces and letter case)
            \(looseFile):3:7: object_value.Score: "abc" is not a number (e.g. 42, -1.5, 2e10; no leading zeros, '+' or thousands separators; --decimal-comma reads 0,75)
            1 problem in 2 rows (1 warning; cells separated by ',')

            """)

        let (unknown, unknownFile) = try await validate(
            "typo.csv", "output_resource_name,object_value.x:float,object_value.y:NUMBER\ndoc-1,1.5,2\n", ["--run-id", Self.run])
        #expect(unknown.status == 2)
        #expect(unknown.stdout.hasPrefix("""
            \(unknownFile):1:22: column "object_value.x:float": unknown type ':float'; use :number, :boolean, :json or :string \
            (a key holding ':' cannot be a column of its own: put it in the object_value column's JSON)

            """), "\(unknown.stdout)")
    }

    @Test("a --map header the file lacks: exit 2, the file's headers and the closest one")
    func missingMapHeader() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("labels.csv", "Documnet,Answer\ndoc-1,yes\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, [
                "--run-id", Self.run, "--map", "Document=output_resource_name", "--map", "Answer=text_value"])
            #expect(result.status == 2)
            #expect(result.stderr.contains(
                "\(file):1: --map names the column \"Document\" but the file has no such column; the file's columns are \"Documnet\", \"Answer\" (closest: \"Documnet\")"),
                "\(result.stderr)")
            #expect(sandbox.stats.writesApplied == 0)
        }
    }

    @Test("Excel leftovers: trailing unnamed empty columns ignored, all-empty rows skipped with one warning")
    func excelLeftovers() async throws {
        let (result, file) = try await validate(
            "labels.csv", "output_resource_name,text_value,,\r\ndoc-1,a,,\r\n,,,\r\ndoc-2,b,,\r\n,,,\r\n,,,\r\n", ["--run-id", Self.run])
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout == """
            \(file):3: warning: skipped 3 rows whose cells are all empty (the first here)
            2 rows, no problems (1 warning; cells separated by ',')

            """)
        let (valueThere, valueFile) = try await validate("labels.csv", "output_resource_name,text_value,\ndoc-1,a,oops\n", ["--run-id", Self.run])
        #expect(valueThere.status == 2)
        #expect(valueThere.stdout.hasPrefix("\(valueFile):2:9: column 3 has no header name but holds a value on this row"))
    }

    @Test("the rejects file keeps the input's byte order mark, CRLF and delimiter")
    func rejectsKeepDialect() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("labels.csv", "\u{FEFF}run_id;output_resource_name;text_value\r\n\(TestSandbox.unknownUUID);doc-1;a\r\n")
            let rejects = dir.url("rejects.csv")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--rejects", rejects])
            #expect(result.status == 1)
            let bytes = try FileText.readBytes(rejects)
            #expect(bytes == Array("\u{FEFF}run_id;output_resource_name;text_value\r\n\(TestSandbox.unknownUUID);doc-1;a\r\n".utf8))
        }
    }
}
