import Testing
import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

/// Seeds, files and checks for import tests against the sandbox.
enum ImportFixtures {
    static let runA = TestSandbox.runA

    /// A seed with `runA` (account A) holding `labels` (JSON objects without run_id).
    static func seed(_ labels: [String] = []) -> String {
        let withRun = labels.map { "{\"run_id\": \"\(runA)\", " + $0.dropFirst() }
        return """
            {"runs": [{"id": "\(runA)", "account_id": "\(TestSandbox.accountA)"},
                      {"id": "\(TestSandbox.runB)", "account_id": "\(TestSandbox.accountB)"},
                      {"id": "\(ExportFixtures.runC)", "account_id": "\(TestSandbox.accountA)"}],
             "gold_labels": [\(withRun.joined(separator: ",\n"))]}
            """
    }

    /// The run's labels by output_resource_name; fails on a duplicate name.
    /// Checks that `target` holds every label of `original` (by name) with the same values:
    /// text byte for byte after `textBytes` (exact by default), object and partial flag.
    static func expectRecreated(
        _ original: [GoldLabel], in target: RunningSandbox, textBytes: (String?) -> [UInt8]? = { $0.map { Array($0.utf8) } },
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let copied = labelsByName(target)
        #expect(copied.count == original.count, sourceLocation: sourceLocation)
        for label in original {
            let copy = copied[label.outputResourceName]
            #expect(textBytes(copy?.textValue) == textBytes(label.textValue), "\(label.outputResourceName)", sourceLocation: sourceLocation)
            #expect(copy?.objectValue == label.objectValue, "\(label.outputResourceName)", sourceLocation: sourceLocation)
            #expect(copy?.objectValueIsPartial == label.objectValueIsPartial, "\(label.outputResourceName)", sourceLocation: sourceLocation)
        }
    }

    static func labelsByName(_ sandbox: RunningSandbox, run: String = runA) -> [String: GoldLabel] {
        var result: [String: GoldLabel] = [:]
        for label in sandbox.sandbox.goldLabels(runID: run) {
            precondition(result[label.outputResourceName] == nil, "duplicate label \(label.outputResourceName)")
            result[label.outputResourceName] = label
        }
        return result
    }

    static func names(_ sandbox: RunningSandbox, run: String = runA) -> [String] {
        sandbox.sandbox.goldLabels(runID: run).map(\.outputResourceName)
    }

    /// Runs `labelport import` in-process against `sandbox`.
    static func importFile(_ path: String, _ sandbox: RunningSandbox, _ directory: TemporaryDirectory, _ extra: [String] = []) async throws -> CLIResult {
        await runLabelPort(["import", path] + extra + (try ExportFixtures.connectionFlags(sandbox, directory)))
    }

    /// The report file's lines as JSON objects.
    static func report(_ path: String) throws -> [JSONObject] {
        let text = try FileText.read(path)
        return try text.split(separator: "\n").map { line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else { throw ConfigurationError("not an object") }
            return object
        }
    }

    static func value(_ text: String) throws -> JSONObject {
        guard case .object(let object) = try JSONParser.parse(text) else { throw ConfigurationError("not an object: \(text)") }
        return object
    }
}
