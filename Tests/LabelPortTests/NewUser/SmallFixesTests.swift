import ArgumentParser
import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Issue 14, item 11: the smaller things a new user tripped over.
@Suite("small fixes from a new user's first hour", .timeLimit(.minutes(2)))
struct SmallFixesTests {
    @Test("one row is '1 row'; counts carry thousands separators")
    func singular() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed()) { sandbox, dir in
            let file = try dir.write("one.jsonl", #"{"output_resource_name": "a", "text_value": "b"}"# + "\n")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(result.status == 0)
            #expect(result.stderr.hasPrefix("1 row: 1 create, 0 update, 0 unchanged, 0 conflict, 0 invalid (1 ok)\n2 requests (0 retries) in "))
        }
        #expect(CountText.count(50_000, "row") == "50,000 rows")
        #expect(CountText.count(1, "retry", "retries") == "1 retry")
    }

    @Test("import --token points to REFACTOR_API_TOKEN and --token-file")
    func tokenFlag() async throws {
        let result = await runLabelPort(["import", "x.csv", "--token", "secret-value"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--token is not accepted here"))
        #expect(result.stderr.contains("set REFACTOR_API_TOKEN, or put the token on the first line of a file and pass --token-file PATH"))
        #expect(!result.stderr.contains("secret-value"))
    }

    @Test("export labels --runz X reports the unknown option")
    func unknownExportOption() async throws {
        let result = await runLabelPort(["export", "labels", "--runz", TestSandbox.runA])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown option '--runz'"), "\(result.stderr)")
        #expect(!result.stderr.contains("name what to export"))
        let nothing = await runLabelPort(["export", "labels"])
        #expect(nothing.status == 64)
        #expect(nothing.stderr.hasPrefix("""
            Error: name what to export: --run UUID, --runs-file FILE or --ids FILE
            Usage: labelport export labels <options>
              See 'labelport export labels --help' for more information.

            """), "\(nothing.stderr)")
        for (arguments, mistyped) in [(["copy", "--runs", TestSandbox.runA], "--runs"), (["export", "evaluations", "--ids-file", "x"], "--ids-file")] {
            let result = await runLabelPort(arguments)
            #expect(result.status == 64)
            #expect(result.stderr.contains("Unknown option '\(mistyped)'"), "\(result.stderr)")
        }
        let noRuns = await runLabelPort(["copy"])
        #expect(noRuns.status == 64)
        #expect(noRuns.stderr.contains("Error: name the runs to copy"))
        #expect(noRuns.stderr.contains("Usage: labelport copy "))
    }

    @Test("help: examples fit 80 columns (never wrapped mid-command), 'Examples:' once, defaults printed once")
    func help() {
        let commands: [any ParsableCommand.Type] = [
            LabelPortCommand.self, ImportCommand.self, ApplyCommand.self, UndoCommand.self, ExportCommand.self, ExportLabelsCommand.self,
            ExportEvaluationsCommand.self, CopyCommand.self, ValidateCommand.self, ProfilesCommand.self, SandboxCommand.self,
        ]
        for command in commands {
            let text = LabelPortCommand.helpMessage(for: command, columns: 80)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() where line.hasPrefix("  labelport ") || line.hasPrefix("    labelport ") {
                #expect(line.count <= 80, "\(command): \(line)")
                // A wrapped example goes on at the start of the next line.
                if i + 1 < lines.count, let next = lines[i + 1].first {
                    #expect(next == " ", "\(command): \(line) / \(lines[i + 1])")
                }
            }
            #expect(text.components(separatedBy: "Examples:").count <= 2, "\(command)")
        }
        let sandbox = LabelPortCommand.helpMessage(for: SandboxCommand.self, columns: 80)
        #expect(sandbox.components(separatedBy: "default 0").count + sandbox.components(separatedBy: "default: 0").count == 3)
    }

    @Test("the sandbox: a busy port is named with a hint (exit 1); a non-loopback host needs --token (exit 64)")
    func sandboxListen() async throws {
        try await TestSandbox.withRunning { running in
            let result = await runLabelPort(["sandbox", "--port", String(running.port), "--create-runs"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("port \(running.port) is in use on 127.0.0.1; pass --port 0 to pick a free one"), "\(result.stderr)")
            #expect(!result.stderr.contains("errno"))
        }
        let open = await runLabelPort(["sandbox", "--host", "0.0.0.0", "--port", "0"])
        #expect(open.status == 64)
        #expect(open.stderr.contains("--host 0.0.0.0 is reachable from other machines"))
        // A host name that does not resolve: in words (was NIO's SocketAddressError.UnknownHost).
        let unknown = await runLabelPort(["sandbox", "--host", "no-such-host.invalid", "--port", "0", "--token", "t"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("cannot listen on no-such-host.invalid: no such host name or address"), "\(unknown.stderr)")
        #expect(!unknown.stderr.contains("SocketAddressError"))
        // A data file that cannot be written: refused before listening (it listened, and lost every write).
        let data = await runLabelPort(["sandbox", "--port", "0", "--create-runs", "--data", "/nonexistent-dir/state.json"])
        #expect(data.status == 64)
        #expect(data.stderr.contains("--data /nonexistent-dir/state.json: cannot write"), "\(data.stderr)")
    }
}
