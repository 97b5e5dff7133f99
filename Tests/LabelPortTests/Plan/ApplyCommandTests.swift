import Foundation
import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

@Suite("labelport import --plan-out and labelport apply", .timeLimit(.minutes(3)))
struct ApplyCommandTests {
    /// Labels by name with their values: what "the same final state" compares.
    static func state(_ sandbox: RunningSandbox) -> [String: LabelValues] {
        var result: [String: LabelValues] = [:]
        for label in sandbox.sandbox.goldLabels(runID: UndoFixtures.runA) { result[label.outputResourceName] = LabelValues(label) }
        return result
    }

    /// Makes a plan of ``UndoFixtures/input`` (plus `rows`) against `sandbox`; returns its path.
    static func makePlan(_ sandbox: RunningSandbox, _ dir: TemporaryDirectory, extraRows: String = "") async throws -> String {
        let input = try dir.write("labels.jsonl", UndoFixtures.input + extraRows)
        let plan = dir.url("labels.plan.json")
        let result = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA, "--dry-run", "--plan-out", plan], sandbox, dir)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("plan saved to \(plan)"))
        let mode = (try FileManager.default.attributesOfItem(atPath: plan)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600, "a plan holds label values: for the user alone")
        return plan
    }

    @Test("plan then apply equals a direct import: same final state, same requests")
    func planThenApply() async throws {
        // A second label for one name exercises an update of a label the plan creates.
        let repeated = #"{"output_resource_name": "new-1", "object_value": {"second": true}}"# + "\n"
        let (direct, directRequests) = try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let input = try dir.write("labels.jsonl", UndoFixtures.input + repeated)
            let result = try await UndoFixtures.run(["import", input, "--run-id", UndoFixtures.runA], sandbox, dir)
            #expect(result.status == 0, "\(result.stderr)")
            return (Self.state(sandbox), sandbox.stats.requests)
        }
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir, extraRows: repeated)
            #expect(sandbox.stats.writesApplied == 0, "a dry run writes nothing")
            sandbox.sandbox.stats.reset()
            let result = try await UndoFixtures.run(["apply", plan, "--journal", dir.url("apply.jsonl")], sandbox, dir)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(Self.state(sandbox) == direct)
            #expect(sandbox.stats.requests == directRequests)
            // The two rows for new-1 merge into one create (rows for one label are one change).
            #expect(sandbox.stats.writesApplied == 5)
            #expect(result.stderr.contains("journal: \(dir.url("apply.jsonl"))"))
        }
    }

    @Test("a label changed between plan and apply: exit 3, the label listed, nothing written")
    func drift() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            try await TestSandbox.withClient(sandbox) { client in
                _ = try await client.updateGoldLabel(
                    runID: UndoFixtures.runA, labelID: "aaaaaaaa-0000-4000-8000-000000000002", UpdateGoldLabelRequest(textValue: "someone else"))
            }
            let writes = sandbox.stats.writesApplied
            let result = try await UndoFixtures.run(["apply", plan, "--verbose"], sandbox, dir)
            #expect(result.status == 3, "\(result.stderr)")
            #expect(sandbox.stats.writesApplied == writes, "nothing written")
            #expect(result.stderr.contains("request: GET /v1/run/\(UndoFixtures.runA)/gold-labels 200 in "), "--verbose logs each request")
            #expect(result.stderr.contains("1 label changed since the plan was made; nothing written"))
            #expect(result.stderr.contains("\"doc-2\" aaaaaaaa-0000-4000-8000-000000000002: changed since the plan (text_value, object_value)"))
            #expect(!result.stderr.contains("journal:"), "no write, no journal")
        }
    }

    @Test("applying a plan twice: the second run finds every label drifted, says each holds the plan's values, and writes nothing")
    func applyTwice() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            let first = try await UndoFixtures.run(["apply", plan], sandbox, dir)
            #expect(first.status == 0, "\(first.stderr)")
            let writes = sandbox.stats.writesApplied
            #expect(writes == 5)
            let second = try await UndoFixtures.run(["apply", plan], sandbox, dir)
            #expect(second.status == 3)
            #expect(sandbox.stats.writesApplied == writes)
            #expect(second.stderr.contains("5 labels changed since the plan was made"))
            #expect(second.stderr.contains("\"new-1\": to be created, but the run now has a label of that name"))
            // Each holds what the plan writes: said, so the user knows it was applied.
            #expect(second.stderr.components(separatedBy: "exactly what the plan writes: was the plan applied already?").count == 6, "\(second.stderr)")
        }
    }

    @Test("a plan for another base URL is a usage error naming both")
    func otherServer() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            let text = try FileText.read(plan).replacingOccurrences(of: sandbox.baseURL, with: "https://api.example.com")
            let other = try dir.write("other.plan.json", text)
            let result = try await UndoFixtures.run(["apply", other], sandbox, dir)
            #expect(result.status == 64)
            #expect(result.stderr.contains("was made for https://api.example.com, not for \(sandbox.baseURL)"))
        }
    }

    /// `plan` with its first write's `field` set to `{"text_value": text}`, as a hand edit
    /// would, written to `name`; returns its path.
    static func editFirstWrite(_ plan: String, _ field: String, to text: String, as name: String, in dir: TemporaryDirectory) throws -> String {
        guard case .object(var object) = try JSONParser.parse(Array(try FileText.read(plan).utf8)),
            case .array(var writes)? = object["writes"], case .object(var first) = writes[0]
        else { throw RecordFormatError("not a plan object") }
        first[field] = .object(JSONObject([("text_value", .string(text))]))
        writes[0] = .object(first)
        object["writes"] = .array(writes)
        return try dir.write(name, JSONWriter().string(.object(object)))
    }

    @Test("a plan whose sends disagree with its after (edited by hand) is refused before anything is sent")
    func editedPlan() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            let edited = try Self.editFirstWrite(plan, "sends", to: "HACK", as: "edited.plan.json", in: dir)
            let before = Self.state(sandbox)
            let requests = sandbox.stats.requests
            let result = try await UndoFixtures.run(["apply", edited], sandbox, dir)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains(#"edited.plan.json: write 1: "sends" does not turn "before" into "after": the plan was edited; make a new one with import --dry-run --plan-out"#), "\(result.stderr)")
            #expect(Self.state(sandbox) == before)
            #expect(sandbox.stats.requests == requests, "nothing sent")

            // An edited "before" would have undo put back values the label never had.
            let evil = try Self.editFirstWrite(plan, "before", to: "EVIL", as: "evil.plan.json", in: dir)
            let refused = try await UndoFixtures.run(["apply", evil], sandbox, dir)
            #expect(refused.status == 2, "\(refused.stderr)")
            #expect(refused.stderr.contains(#"evil.plan.json: write 1: "before" is not the label as "seen": the plan was edited"#), "\(refused.stderr)")
            #expect(sandbox.stats.requests == requests, "nothing sent")
        }
    }

    @Test("a plan cut short is called that, not 'not a labelport plan'")
    func truncatedPlan() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            let text = try FileText.read(plan)
            let cut = try dir.write("cut.plan.json", String(text.prefix(text.count / 2)))
            let result = try await UndoFixtures.run(["apply", cut], sandbox, dir)
            #expect(result.status == 2, "\(result.stderr)")
            #expect(result.stderr.contains("cut.plan.json: the plan is cut short or damaged ("), "\(result.stderr)")
            #expect(result.stderr.contains("make it again with import --dry-run --plan-out"), "\(result.stderr)")
        }
    }

    @Test("the plan records the input's name and SHA-256, and never the token")
    func planContents() async throws {
        try await ExportFixtures.withSandbox(seed: UndoFixtures.seed()) { sandbox, dir in
            let plan = try await Self.makePlan(sandbox, dir)
            let text = try FileText.read(plan)
            #expect(!text.contains(TestSandbox.tokenA))
            let saved = try SavedPlan.read(plan)
            #expect(saved.baseURL == sandbox.baseURL)
            #expect(saved.inputSHA256 == (try SHA256.hexDigest(ofFile: dir.url("labels.jsonl"))))
            #expect(saved.writes.map(\.outputResourceName) == ["doc-1", "doc-2", "doc-3", "doc-4", "new-1"])
        }
    }

    @Test("SHA-256 of known inputs")
    func sha256() {
        var empty = SHA256()
        #expect(empty.finalizeHex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        var abc = SHA256()
        abc.update(Array("abc".utf8))
        #expect(abc.finalizeHex() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = SHA256()
        for _ in 0..<1000 { long.update(Array("a".utf8)) }
        var block = SHA256()
        block.update(Array(repeating: UInt8(ascii: "a"), count: 64))
        #expect(block.finalizeHex() == "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
        var padding = SHA256()
        padding.update(Array(repeating: UInt8(ascii: "a"), count: 55))
        #expect(padding.finalizeHex() == "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        #expect(long.finalizeHex() == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }
}
