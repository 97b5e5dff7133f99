import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// The review loop of docs/spreadsheets.md: a flattened export, one cell edited, plans
/// exactly that change; a workbook re-saved by LibreOffice still imports exactly.
@Suite("Spreadsheet round trips", .timeLimit(.minutes(5)))
struct SpreadsheetRoundTripTests {
    static let fixtures = Fixtures.directory("xlsx")

    /// The plan's changed rows, and its summary's actions.
    static func plan(_ path: String, _ sandbox: RunningSandbox, _ dir: TemporaryDirectory) async throws -> (changes: [JSONValue], actions: JSONValue?) {
        let plan = try await ImportFixtures.importFile(path, sandbox, dir, ["--dry-run", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let document = try ImportFixtures.value(plan.stdout)
        guard case .array(let rows)? = document["changes"] else { return ([], document["summary"]?.objectValue?["actions"]) }
        return (rows, document["summary"]?.objectValue?["actions"])
    }

    @Test("a flattened CSV with one cell edited changes exactly that key of that label")
    func editedCell() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { source, dir in
            let (exported, bytes) = try await ExportFixtures.export([TestSandbox.runA], from: source, in: dir, to: "flat.csv", extra: ["--flatten"])
            #expect(exported.status == 0, "\(exported.stderr)")
            var text = String(decoding: bytes, as: UTF8.self)
            // doc-partial-false's answer.score (0.30000000000000004) becomes 0.5.
            #expect(text.contains(",0.30000000000000004,"))
            text = text.replacingOccurrences(of: ",0.30000000000000004,", with: ",0.5,")
            let edited = try dir.write("edited.csv", text)
            let (changes, _) = try await Self.plan(edited, source, dir)
            #expect(changes.count == 1, "\(changes)")
            let change = changes.first?.objectValue
            #expect(change?["output_resource_name"] == .string("doc-partial-false"))
            guard case .array(let fields)? = change?["changes"] else {
                Issue.record("\(String(describing: change))")
                return
            }
            #expect(fields.count == 1, "\(fields)")
            #expect(fields.first?.description.contains("answer") == true, "\(fields)")
        }
    }

    @Test("an export re-saved by LibreOffice imports back changing only a CR it drops (where soffice is installed)",
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/soffice")))
    func libreOfficeLive() async throws {
        try await ExportFixtures.withSandbox(seed: ExportFixtures.trickySeed()) { source, dir in
            for (name, extra) in [("plain.xlsx", [String]()), ("flat.xlsx", ["--flatten"])] {
                let (exported, _) = try await ExportFixtures.export([TestSandbox.runA], from: source, in: dir, to: name, extra: extra)
                #expect(exported.status == 0, "\(exported.stderr)")
                let out = dir.url("resaved")
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/soffice")
                process.arguments = ["--headless", "-env:UserInstallation=file://" + dir.url("lo-profile"),
                                     "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", out, dir.url(name)]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                await CLIProcess.waitForExit(process)
                #expect(process.terminationStatus == 0)
                let (changes, _) = try await Self.plan(out + "/" + name, source, dir)
                // LibreOffice keeps every value but one: it turns the CR of a CR LF inside
                // a text cell into nothing (doc-text's "\r\n" comes back as "\n").
                #expect(changes.compactMap { $0.objectValue?["output_resource_name"] } == [.string("doc-text")], "\(name): \(changes)")
            }
        }
    }
}
