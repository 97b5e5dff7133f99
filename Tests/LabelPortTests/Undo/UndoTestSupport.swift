import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

/// Seeds, inputs and checks shared by the plan, apply and undo tests.
enum UndoFixtures {
    static let runA = TestSandbox.runA

    /// Labels whose every change by ``input`` an update can put back exactly.
    static let seedLabels = [
        #"{"id": "aaaaaaaa-0000-4000-8000-000000000001", "output_resource_name": "doc-1", "text_value": "old"}"#,
        #"{"id": "aaaaaaaa-0000-4000-8000-000000000002", "output_resource_name": "doc-2", "object_value": {"a": 1, "b": [1.0, "x"]}, "object_value_is_partial": false}"#,
        #"{"id": "aaaaaaaa-0000-4000-8000-000000000003", "output_resource_name": "doc-3", "object_value": {"keep": true, "n": 12345678901234567890}, "object_value_is_partial": true}"#,
        #"{"id": "aaaaaaaa-0000-4000-8000-000000000004", "output_resource_name": "doc-4", "text_value": "was text", "object_value_is_partial": false}"#,
        #"{"id": "aaaaaaaa-0000-4000-8000-000000000005", "output_resource_name": "doc-5", "text_value": "untouched"}"#,
    ]

    /// Updates doc-1..doc-4 (text, object, the flag, text → object), leaves doc-5, creates new-1.
    static let input = """
        {"output_resource_name": "doc-1", "text_value": "new"}
        {"output_resource_name": "doc-2", "object_value": {"a": 2, "b": [1, "x"]}}
        {"output_resource_name": "doc-3", "object_value": {"n": 12345678901234567890, "keep": true}, "object_value_is_partial": false}
        {"output_resource_name": "doc-4", "object_value": {"now": "an object"}, "object_value_is_partial": true}
        {"output_resource_name": "doc-5", "text_value": "untouched"}
        {"output_resource_name": "new-1", "text_value": "created"}

        """

    static func seed(_ labels: [String] = seedLabels) -> String { ImportFixtures.seed(labels) }

    static func run(_ arguments: [String], _ sandbox: RunningSandbox, _ dir: TemporaryDirectory) async throws -> CLIResult {
        let flags = try ExportFixtures.connectionFlags(sandbox, dir)
        return await JournalOptions.$stateHomeOverride.withValue(dir.url("state")) {
            await runLabelPort(arguments + flags)
        }
    }

    /// The run's labels as `(id, values)` pairs, sorted by id: what an undo must restore.
    static func values(_ sandbox: RunningSandbox, run: String = runA) -> [String: LabelValues] {
        var result: [String: LabelValues] = [:]
        for label in sandbox.sandbox.goldLabels(runID: run) { result[label.id] = LabelValues(label) }
        return result
    }

    /// A whole-run export (JSONL) as objects by id, without the fields every write changes
    /// (`updated_at`, `updated_by`).
    static func export(_ sandbox: RunningSandbox, _ dir: TemporaryDirectory, _ name: String) async throws -> [String: JSONObject] {
        let (result, bytes) = try await ExportFixtures.export([runA], from: sandbox, in: dir, to: name)
        precondition(result.status == 0, result.stderr)
        var byID: [String: JSONObject] = [:]
        for line in bytes.split(separator: 0x0A) {
            guard case .object(let object) = try JSONParser.parse(line), let id = object["id"]?.stringValue else { continue }
            byID[id] = JSONObject(object.entries.filter { $0.key != "updated_at" && $0.key != "updated_by" })
        }
        return byID
    }
}
