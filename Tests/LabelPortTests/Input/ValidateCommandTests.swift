import ArgumentParser
import Testing
@testable import LabelPortCLI
@testable import LabelPortCore

/// `labelport validate` parsed and run in-process, output captured.
@Suite("validate command", .timeLimit(.minutes(10)))
struct ValidateCommandTests {
    final class Lines: @unchecked Sendable {
        // Only touched from the test's own thread, one command at a time.
        var lines: [String] = []
    }

    func run(_ arguments: [String]) throws -> (Int32, [String]) {
        var command = try #require(try LabelPortCommand.parseAsRoot(["validate"] + arguments) as? ValidateCommand)
        let captured = Lines()
        command.output = { captured.lines.append($0) }
        return (command.runValidation(), captured.lines)
    }

    @Test("a clean file: exit 0 and the count")
    func clean() throws {
        let (status, lines) = try run([InputFixtures.path("unicode.csv")])
        #expect(status == 0)
        #expect(lines == ["4 rows, no problems (cells separated by ',')"])
    }

    @Test("warnings alone still exit 0")
    func warningsOnly() throws {
        let path = InputFixtures.path("leading-zeros.csv")
        let (status, lines) = try run([path])
        #expect(status == 0)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\(path):1:40: warning: column \"Code\""))
    }

    @Test("problems: every one printed, then the count, exit 2")
    func problems() throws {
        let path = InputFixtures.path("bad-values.jsonl")
        let (status, lines) = try run([path])
        #expect(status == 2)
        #expect(lines.count == 6)
        #expect(lines.first == "\(path):1: run_id must be a UUID string, found a number")
        #expect(lines.last == "5 problems in 5 rows")
    }

    @Test("input options apply: --format, --delimiter, --map, --run-id")
    func options() throws {
        let (status, lines) = try run([
            InputFixtures.path("semicolon.csv"), "--format", "CSV", "--delimiter", ";",
            "--map", "Document=output_resource_name", "--map", "Answer=object_value.answer",
            "--map", "Score=object_value.score:number", "--run-id", InputFixtures.runID,
        ])
        #expect(lines == ["2 rows, no problems (cells separated by ';')"])
        #expect(status == 0)
    }

    @Test("a file that cannot be opened: exit 2")
    func missing() throws {
        let (status, lines) = try run(["/nonexistent/x.csv"])
        #expect(status == 2)
        #expect(lines == ["/nonexistent/x.csv: cannot read: No such file or directory", "1 problem in 0 rows"])
    }

    @Test("usage errors exit 64", arguments: [
        ["x.csv", "--map", "nonsense"],
        ["x.csv", "--delimiter", "ab"],
        ["x.csv", "--delimiter", "\""],
        ["x.csv", "--format", "xml"],
        ["x.csv", "--run-id", "not-a-uuid"],
        ["x.csv", "--map", "A=text_value", "--map", "A=id"],
    ])
    func usage(_ arguments: [String]) {
        #expect(throws: (any Error).self) { try LabelPortCommand.parseAsRoot(["validate"] + arguments) }
        do {
            _ = try LabelPortCommand.parseAsRoot(["validate"] + arguments)
        } catch {
            #expect(LabelPortCommand.exitCode(for: error) == ExitCode(64))
        }
    }

    @Test("--delimiter tab")
    func tab() throws {
        #expect(try InputOptions.parseDelimiter("tab") == 0x09)
        #expect(try InputOptions.parseDelimiter(";") == UInt8(ascii: ";"))
    }
}
