import Foundation
import Testing
@testable import LabelPortCore

/// Standard input is recognised by its bytes as a file is: a workbook piped to `-` is read
/// as one (it was read as JSONL, a screenful of "invalid JSON"), other workbooks are refused
/// with what to save them as, and text keeps every byte (the first ones are read ahead).
@Suite("A workbook on standard input", .timeLimit(.minutes(2)))
struct StdinWorkbookTests {
    static let run = "11111111-1111-4111-8111-111111111111"

    func validate(stdin: URL, extra: [String] = []) async throws -> CLIProcess.Result {
        try await CLIProcess.run(["validate", "-", "--run-id", Self.run] + extra, stdin: stdin)
    }

    @Test("an .xlsx on stdin is validated as the same file named on the command line")
    func xlsx() async throws {
        let path = Fixtures.directory("xlsx") + "labelport-export.xlsx"
        let piped = try await validate(stdin: URL(fileURLWithPath: path))
        let named = try await CLIProcess.run(["validate", path, "--run-id", Self.run])
        #expect(piped.status == named.status)
        #expect(piped.stdout == named.stdout.replacingOccurrences(of: path, with: "<stdin>"), "\(piped.stdout)\n\(piped.stderr)")
        #expect(!piped.stdout.contains("invalid JSON"))
    }

    @Test("an .xls (OLE) on stdin is refused with advice; JSONL on stdin loses no byte to the look ahead")
    func refusedAndText() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let xls = dir.url("book.bin")
        try Data(WorkbookSniffer.oleMagic + [UInt8](repeating: 0, count: 600)).write(to: URL(fileURLWithPath: xls))
        let refused = try await validate(stdin: URL(fileURLWithPath: xls))
        #expect(refused.status == 2)
        #expect((refused.stdout + refused.stderr).contains("<stdin>: this is an Excel 97-2003 workbook (.xls)"), "\(refused.stdout)\(refused.stderr)")
        let jsonl = try dir.write("rows.jsonl", #"{"output_resource_name": "a", "text_value": "x"}"# + "\n" + #"{"output_resource_name": "b", "text_value": 1}"# + "\n")
        let text = try await validate(stdin: URL(fileURLWithPath: jsonl))
        #expect(text.status == 2)
        #expect(text.stdout.hasPrefix("<stdin>:2:"), "\(text.stdout)")
        #expect(text.stdout.hasSuffix("1 problem in 2 rows\n"), "\(text.stdout)")
    }
}
