import ArgumentParser
import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

/// What an in-process `labelport …` run printed and its exit status.
struct CLIResult: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    var stdoutBytes: [UInt8]
}

/// Bytes written by a command, from any task.
final class ByteCapture: Sendable {
    private let bytes = Locked<[UInt8]>([])

    func append(_ more: [UInt8]) {
        bytes.withLock { $0 += more }
    }

    var contents: [UInt8] { bytes.withLock { $0 } }
}

/// Parses `arguments` as `labelport` does and runs the command in-process, capturing
/// stdout and stderr through ``Console``; usage errors give 64 as in the real tool.
func runLabelPort(_ arguments: [String]) async -> CLIResult {
    let out = ByteCapture()
    let err = ByteCapture()
    let console = Console(
        writeOutput: { out.append($0) }, writeError: { err.append(Array($0.utf8)) }, outputIsTerminal: false)
    // Journals of in-process runs go to a scratch directory, never the user's state directory.
    let stateHome = JournalOptions.stateHomeOverride ?? ProcessInfoLite.temporaryDirectory + "/labelport-tests-state"
    let status: Int32 = await JournalOptions.$stateHomeOverride.withValue(stateHome) { await Console.$current.withValue(console) {
        do {
            try await LabelPortCommand.run(try LabelPortCommand.parseAsRoot(arguments))
            return 0
        } catch {
            let code = LabelPortCommand.exitCode(for: error).rawValue
            let message = LabelPortCommand.message(for: error)
            if !message.isEmpty { err.append(Array((message + "\n").utf8)) }
            return code
        }
    } }
    let stdoutBytes = out.contents
    return CLIResult(
        status: status, stdout: String(decoding: stdoutBytes, as: UTF8.self),
        stderr: String(decoding: err.contents, as: UTF8.self), stdoutBytes: stdoutBytes)
}

/// Seeds and flags for export tests against the sandbox.
enum ExportFixtures {
    static let runC = "33333333-cccc-4ccc-8ccc-333333333333"

    /// Labels with values that are easy to get wrong: numbers past 2^53, 0.1, 1e-7, deep
    /// nesting, empty object, unicode, CSV-hostile text, all three partial states.
    static let trickyLabels: [String] = [
        #"{"output_resource_name": "doc-text", "text_value": "commas, \"quotes\"\nand newlines\r\n, too"}"#,
        #"{"output_resource_name": "doc-unicode", "text_value": "naïve café 🐱 日本語 \u0007 \\ tab\t"}"#,
        #"{"output_resource_name": "doc-object", "object_value": {"z": 123456789012345678901234567890, "a": 0.1, "m": 1e-7, "neg": -0.0, "big": 9007199254740993, "nested": [[1, [2, {"x": []}]], {}], "empty": {}, "é": "ü\u0000", "b": true, "n": null}, "object_value_is_partial": true}"#,
        #"{"output_resource_name": "doc-partial-false", "object_value": {"answer": {"tags": ["cat", "dog"], "score": 0.30000000000000004}}, "object_value_is_partial": false}"#,
        #"{"output_resource_name": "doc-partial-absent", "object_value": {"Key With Spaces": "v", "a.b": [1.50, 2E+3]}}"#,
        #"{"output_resource_name": "doc,with \"comma\"", "text_value": "x"}"#,
    ]

    /// A seed with `TestSandbox.runA` holding the tricky labels and `runC` a few plain ones.
    static func trickySeed() -> String {
        let labelsA = trickyLabels.map { label in
            "{\"run_id\": \"\(TestSandbox.runA)\", " + label.dropFirst()
        }
        let labelsC = (1...3).map { i in
            #"{"run_id": "\#(runC)", "output_resource_name": "c-\#(i)", "text_value": "plain \#(i)"}"#
        }
        return """
            {"runs": [{"id": "\(TestSandbox.runA)", "account_id": "\(TestSandbox.accountA)"},
                      {"id": "\(TestSandbox.runB)", "account_id": "\(TestSandbox.accountB)"},
                      {"id": "\(runC)", "account_id": "\(TestSandbox.accountA)"}],
             "gold_labels": [\((labelsA + labelsC).joined(separator: ",\n"))]}
            """
    }

    /// A seed of `runs` runs × `labels` labels for account A, run ids derived from `index`.
    static func bulkSeed(runs: Int, labels: Int) -> (seed: String, runIDs: [String]) {
        var runIDs: [String] = []
        var text = #"{"runs": ["#
        for r in 0..<runs {
            let id = uuid(prefix: "aaaa", r)
            runIDs.append(id)
            text += (r > 0 ? "," : "") + #"{"id": "\#(id)", "account_id": "\#(TestSandbox.accountA)"}"#
        }
        text += #"], "gold_labels": ["#
        var first = true
        for r in 0..<runs {
            for l in 0..<labels {
                text += (first ? "" : ",")
                first = false
                text += #"{"run_id": "\#(runIDs[r])", "output_resource_name": "doc-\#(l).pdf", "object_value": {"label": "value \#(l)", "score": 0.\#(l)1, "tags": ["a", "b", \#(l)]}, "object_value_is_partial": false}"#
            }
        }
        text += "]}"
        return (text, runIDs)
    }

    /// `aaaa0000-0000-4000-8000-00000000000N`-style UUIDs.
    static func uuid(prefix: String, _ n: Int) -> String {
        let digits = String(n)
        return "\(prefix)0000-0000-4000-8000-" + String(repeating: "0", count: 12 - digits.count) + digits
    }

    /// The connection flags for `sandbox`, with the token in a file in `directory`.
    static func connectionFlags(_ sandbox: RunningSandbox, _ directory: TemporaryDirectory, token: String = TestSandbox.tokenA) throws -> [String] {
        let tokenFile = try directory.write("token-\(token.utf8.count)-\(token.hashValue & 0xFFFF)", token + "\n")
        return ["--base-url", sandbox.baseURL, "--token-file", tokenFile]
    }

    /// Starts a sandbox seeded with `seed` and runs `body` with it and a scratch directory.
    static func withSandbox<Result>(
        seed: String, _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: (RunningSandbox, TemporaryDirectory) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seedFile = try directory.write("seed.json", seed)
        let configuration = TestSandbox.configuration(seedFile: seedFile, configure)
        return try await SandboxServer.withRunning(configuration) { sandbox in try await body(sandbox, directory) }
    }

    /// Exports `runIDs` from `sandbox` to `name` in `directory` and returns the file's
    /// bytes — the first half of an export → import round trip.
    static func export(
        _ runIDs: [String], from sandbox: RunningSandbox, in directory: TemporaryDirectory,
        to name: String, extra: [String] = []
    ) async throws -> (CLIResult, [UInt8]) {
        let path = directory.url(name)
        let result = await runLabelPort(
            ["export", "labels"] + runIDs.flatMap { ["--run", $0] } + ["--out", path] + extra + (try connectionFlags(sandbox, directory)))
        let bytes = (try? FileText.readBytes(path)) ?? []
        return (result, bytes)
    }
}
