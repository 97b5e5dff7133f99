import Foundation
@testable import LabelPortCore
import Testing
@testable import LabelPortCLI

/// A workbook's invalid rows in a rejects file and a report: an error cell keeps its
/// text (`#DIV/0!`), so the rejects file does not validate clean, and the report line
/// names the row's run and output_resource_name.
@Suite("Spreadsheet rejects and report", .timeLimit(.minutes(3)))
struct SpreadsheetRejectsTests {
    @Test("an error cell is kept in --rejects; its row's --report line names run and label")
    func errorCell() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = Fixtures.directory("xlsx") + "libreoffice-problems.xlsx"
            let report = dir.url("report.jsonl")
            let rejects = dir.url("rejects.csv")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--report", report, "--rejects", rejects])
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("\(file):3:3: cell C3 (column \"object_value.n:number\") holds the error #DIV/0!: correct the formula, or type the value"), "\(result.stderr)")
            let run = InputFixtures.runID
            #expect(try FileText.read(rejects) == """
                run_id,output_resource_name,object_value.n:number,object_value_is_partial
                \(run),doc-1,twelve,maybe
                \(run),doc-2,#DIV/0!,

                """)
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["action"]?.stringValue } == ["invalid", "invalid"])
            #expect(lines.map { $0["run_id"]?.stringValue } == [run, run])
            #expect(lines.map { $0["output_resource_name"]?.stringValue } == ["doc-1", "doc-2"])
            // Re-reading the rejects file finds the same problem, not a clean row.
            var input = try LabelInput(path: rejects, options: LabelInputOptions())
            var problems: [String] = []
            _ = InputValidator.run(&input) { problems.append($0.message) }
            #expect(problems.contains { $0.contains("\"#DIV/0!\" is not a number") }, "\(problems)")
        }
    }

    @Test("--rejects FILE.xlsx for a workbook input: a workbook with the input's sheet name, header and cells, read back as they were")
    func workbookRejects() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = Fixtures.directory("xlsx") + "libreoffice-problems.xlsx"
            let rejects = dir.url("rejects.xlsx")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--rejects", rejects])
            #expect(result.status == 2, "\(result.stderr)")
            let book = try XlsxWorkbook(path: rejects)
            #expect(book.sheets.map(\.name) == ["bad"])
            var input = try LabelInput(path: rejects, options: LabelInputOptions())
            var records: [[String]] = []
            while let item = input.next() {
                if case .invalid(_, _, let record?) = item, case .cells(let cells) = record.content { records.append(cells.fields) }
            }
            let run = InputFixtures.runID
            #expect(input.header == ["run_id", "output_resource_name", "object_value.n:number", "object_value_is_partial"])
            #expect(records == [[run, "doc-1", "twelve", "maybe"], [run, "doc-2", "#DIV/0!", ""]], "\(records)")
        }
    }

    @Test("a rejected sheet row's cells are typed so that they read back as the same text")
    func workbookCells() {
        #expect(RecordWriter.workbookCell("42") == .number(JSONNumber("42")!))
        #expect(RecordWriter.workbookCell("-0.5") == .number(JSONNumber("-0.5")!))
        #expect(RecordWriter.workbookCell("true") == .bool(true))
        #expect(RecordWriter.workbookCell("false") == .bool(false))
        #expect(RecordWriter.workbookCell("") == nil)
        for text in ["1.0", "007", "-0", "1e400", "12345678901234567890", "TRUE", "2024-03-01", "#DIV/0!", " 42", "0x1F"] {
            #expect(RecordWriter.workbookCell(text) == .text(text), "\(text)")
        }
    }
}
