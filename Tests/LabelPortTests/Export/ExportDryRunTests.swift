import Foundation
import Testing
import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

@Suite("export labels --dry-run (sandbox over HTTP)", .timeLimit(.minutes(10)))
struct ExportDryRunTests {
    typealias F = ExportFixtures

    @Test("identical: exit 0; one changed and one added: exactly those two, file untouched, exit 1", arguments: ["backup.jsonl", "backup.csv"])
    func diff(name: String) async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let runs = [TestSandbox.runA, F.runC]
            let (exported, before) = try await F.export(runs, from: sandbox, in: directory, to: name)
            #expect(exported.status == 0)
            let flags = try F.connectionFlags(sandbox, directory)
            let path = directory.url(name)

            let same = await runLabelPort(["export", "labels", "--out", path, "--dry-run"] + flags)
            #expect(same.status == 0, "\(same.stderr)")
            #expect(same.stdout.hasPrefix("0 added, 0 removed, 0 changed, 9 unchanged\n"))

            let target = GoldLabel.sortedForExport(sandbox.sandbox.goldLabels(runID: TestSandbox.runA))
                .first { $0.outputResourceName == "doc-partial-false" }!
            let (changedID, addedID) = try await TestSandbox.withClient(sandbox) { client in
                var object = target.objectValue!
                object["answer"] = ["tags": ["cat", "bird"], "score": .number(JSONNumber("0.30000000000000004")!)]
                _ = try await client.updateGoldLabel(runID: TestSandbox.runA, labelID: target.id, UpdateGoldLabelRequest(objectValue: object))
                let added = try await client.createGoldLabel(runID: F.runC, CreateGoldLabelRequest(outputResourceName: "c-new", textValue: "fresh"))
                return (target.id, added.id)
            }

            let differs = await runLabelPort(["export", "labels", "--out", path, "--dry-run"] + flags)
            #expect(differs.status == 1)
            #expect(differs.stdout.hasPrefix("1 added, 0 removed, 1 changed, 8 unchanged\n"))
            #expect(differs.stdout.contains("added label \(addedID) (run \(F.runC), \"c-new\")\n    + text_value: \"fresh\""))
            #expect(differs.stdout.contains("changed label \(changedID) (run \(TestSandbox.runA), \"doc-partial-false\")\n    ~ object_value.answer.tags[1]: \"dog\" → \"bird\"\n"))
            #expect(differs.stdout.split(separator: "\n").filter { $0.hasPrefix("added") || $0.hasPrefix("changed") || $0.hasPrefix("removed") }.count == 2)
            #expect(try FileText.readBytes(path) == before)

            let json = await runLabelPort(["export", "labels", "--out", path, "--dry-run", "--json", "--run", F.runC] + flags)
            #expect(json.status == 1)
            guard case .object(let root) = try JSONParser.parse(json.stdout) else { Issue.record("not an object"); return }
            #expect(root["identical"] == false)
            #expect(root["counts"] == ["added": 1, "removed": 0, "changed": 0, "unchanged": 3])
            #expect(try FileText.readBytes(path) == before)
            #expect(directory.fileNames().filter { $0.hasSuffix(".tmp") }.isEmpty)
        }
    }

    @Test("a backup of plain labels (read by the scanner, compared as bytes): unchanged, then the one changed label")
    func plainBackup() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (exported, _) = try await F.export([F.runC], from: sandbox, in: directory, to: "c.jsonl")
            #expect(exported.status == 0)
            let path = directory.url("c.jsonl")
            #expect(ExportFileScanner.read(path: path) != nil, "every line of this export is read by the scanner")
            let flags = try F.connectionFlags(sandbox, directory)
            let same = await runLabelPort(["export", "labels", "--out", path, "--dry-run"] + flags)
            #expect(same.status == 0, "\(same.stderr)")
            #expect(same.stdout == "0 added, 0 removed, 0 changed, 3 unchanged\n")
            let target = sandbox.sandbox.goldLabels(runID: F.runC).first { $0.outputResourceName == "c-2" }!
            try await TestSandbox.withClient(sandbox) { client in
                _ = try await client.updateGoldLabel(runID: F.runC, labelID: target.id, UpdateGoldLabelRequest(textValue: "plain two"))
            }
            let differs = await runLabelPort(["export", "labels", "--out", path, "--dry-run"] + flags)
            #expect(differs.status == 1)
            #expect(differs.stdout == """
                0 added, 0 removed, 1 changed, 2 unchanged
                changed label \(target.id) (run \(F.runC), "c-2")
                    ~ text_value: "plain 2" → "plain two"

                """, "\(differs.stdout)")
        }
    }

    @Test("at size: 20 labels of at most 10 fields each, then how many more; --verbose lists every label and field")
    func cappedAtSize() async throws {
        let object = (0..<12).map { "\"k\($0)\": 0" }.joined(separator: ", ")
        let seed = ImportFixtures.seed((0..<25).map { #"{"output_resource_name": "doc-\#($0)", "object_value": {\#(object)}}"# })
        try await F.withSandbox(seed: seed) { sandbox, directory in
            let (exported, bytes) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "backup.jsonl")
            #expect(exported.status == 0)
            let path = directory.url("backup.jsonl")
            // Every key of every label differs between the backup and the server.
            try directory.write("backup.jsonl", String(decoding: bytes, as: UTF8.self).replacing(":0", with: ":1"))
            let flags = try F.connectionFlags(sandbox, directory)
            let capped = await runLabelPort(["export", "labels", "--out", path, "--dry-run"] + flags)
            #expect(capped.status == 1)
            let lines = capped.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.first == "0 added, 0 removed, 25 changed, 0 unchanged")
            #expect(lines.filter { $0.hasPrefix("changed label ") }.count == 20)
            #expect(lines.filter { $0 == "    … 2 more fields" }.count == 20)
            #expect(lines.filter { $0.hasPrefix("    ~ object_value.k") }.count == 200)
            #expect(lines.suffix(2) == ["… and 5 more labels (--verbose or --json lists them all)", ""])
            let all = await runLabelPort(["export", "labels", "--out", path, "--dry-run", "--verbose"] + flags)
            let allLines = all.stdout.split(separator: "\n")
            #expect(allLines.filter { $0.hasPrefix("changed label ") }.count == 25)
            #expect(allLines.filter { $0.hasPrefix("    ~ object_value.k") }.count == 300)
            #expect(!all.stdout.contains("more"))
        }
    }

    @Test("a run the server does not have (404): a difference, never 'the server matches'")
    func missingRun() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let (exported, _) = try await F.export([TestSandbox.runA], from: sandbox, in: directory, to: "backup.jsonl")
            #expect(exported.status == 0)
            let gone = "0dd00000-0000-4000-8000-000000000404"
            let result = await runLabelPort(["export", "labels", "--out", directory.url("backup.jsonl"), "--dry-run", "--run", gone]
                + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 1)
            #expect(result.stderr.contains("the server differs from \(directory.url("backup.jsonl")): 0 added, 0 removed, 0 changed, 0 unchanged; the server does not have 1 run of the file (above) (0 runs compared; nothing written)"), "\(result.stderr)")
            #expect(!result.stderr.contains("the server matches"))
        }
    }

    @Test("a --out file that does not exist: said in words before connecting, exit 2, nothing written")
    func missingFile() async throws {
        try await F.withSandbox(seed: F.trickySeed()) { sandbox, directory in
            let path = directory.url("nothere.csv")
            let result = await runLabelPort(["export", "labels", "--out", path, "--dry-run", "--run", TestSandbox.runA]
                + (try F.connectionFlags(sandbox, directory)))
            #expect(result.status == 2)
            #expect(result.stderr == "error: \(path): no such file: --dry-run compares the server with an earlier export; leave out --dry-run to write one\n", "\(result.stderr)")
            #expect(sandbox.stats.totalRequests == 0, "nothing is asked of the server")
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }
}
