import LabelPortCore
import LabelPortSandbox
import Testing

@Suite("Sandbox seed and --data", .timeLimit(.minutes(10)))
struct SandboxPersistenceTests {
    typealias T = TestSandbox

    @Test func stateSurvivesARestartWithData() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let seed = try T.writeSeed(in: directory)
        let data = directory.url("state.json")
        let object = try #require(JSONValue.parseForTest(#"{"n":12345678901234567890.000,"s":"e\u0301 😀"}"#).objectValue)
        let created = try await SandboxServer.withRunning(T.configuration(seedFile: seed) { $0.dataFile = data; $0.createRuns = true }) { sandbox in
            try await T.withClient(sandbox) { client in
                let fresh = "66666666-6666-4666-8666-666666666666"
                let a = try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "a", objectValue: object))
                let b = try await client.createGoldLabel(runID: fresh, CreateGoldLabelRequest(outputResourceName: "b", textValue: "t"))
                let a2 = try await client.updateGoldLabel(runID: T.runA, labelID: a.id, UpdateGoldLabelRequest(objectValueIsPartial: true))
                return [a2, b]
            }
        }
        #expect(directory.fileNames() == ["seed.json", "state.json"])  // no temporary file left behind
        // Restart without the seed and without --create-runs: runs, labels and evaluations come from --data.
        let config = T.configuration { $0.dataFile = data }
        try await SandboxServer.withRunning(config) { sandbox in
            try await T.withClient(sandbox) { client in
                let listA = try await client.listGoldLabels(runID: T.runA)
                let listFresh = try await client.listGoldLabels(runID: created[1].runID)
                let one = try await client.getGoldLabel(runID: T.runA, labelID: created[0].id)
                let evaluation = try await client.getEvaluation(runID: T.runA, evaluationID: T.evaluationA)
                #expect(listA == [created[0]])
                #expect(listFresh == [created[1]])
                #expect(one.objectValue?["n"] == .number(JSONNumber("12345678901234567890")!))
                #expect(evaluation.value.literal == "0.12345678901234567890")
            }
        }
    }

    @Test func snapshotRoundTrips() throws {
        var state = SandboxState()
        state.addRun(T.runA, account: T.accountA)
        state.insert(GoldLabel(id: T.unknownUUID, accountID: T.accountA, runID: T.runA, outputResourceName: "x\n\"y\"", textValue: "ü", createdAt: "2025-01-01T00:00:00.000000Z"))
        let bytes = SandboxSnapshot.encode(state)
        let back = try SandboxSnapshot.decode(bytes, source: "test", now: "now", newID: { "unused" })
        #expect(back.runs == state.runs)
        #expect(back.labels == state.labels)
        #expect(SandboxSnapshot.encode(back) == bytes)
    }

    @Test func seedFillsInIdsTimestampsAndAccounts() throws {
        let text = """
            {"runs": [{"id": "\(T.runA)", "account_id": "acc"}],
             "gold_labels": [{"run_id": "\(T.runA)", "output_resource_name": "x", "text_value": "t"},
                             {"run_id": "\(T.runB)", "account_id": "other", "output_resource_name": "y", "object_value": {}}]}
            """
        var ids = 0
        let state = try SandboxSnapshot.decode(Array(text.utf8), source: "seed", now: "2025-01-01T00:00:00.000000Z") {
            ids += 1
            return "00000000-0000-4000-8000-00000000000\(ids)"
        }
        let labels = state.labels.values.sorted { $0.id < $1.id }
        #expect(labels.map(\.accountID) == ["acc", "other"])
        #expect(labels.map(\.createdAt) == ["2025-01-01T00:00:00.000000Z", "2025-01-01T00:00:00.000000Z"])
        #expect(state.runs[T.runB] == "other")
    }

    @Test(arguments: [
        (#"{"runs": [{"id": "nope", "account_id": "a"}]}"#, "is not a UUID"),
        (#"{"gold_labels": [{"run_id": "11111111-1111-4111-8111-111111111111", "output_resource_name": "x"}]}"#, "not declared"),
        (#"{"runs": 3}"#, "must be an array"),
        (#"{"labels": []}"#, "unknown key"),
        (#"{"runs": ["#, "not valid JSON"),
        (#"{"runs": [{"id": "11111111-1111-4111-8111-111111111111", "account_id": "a"}], "gold_labels": [{"id": "aaaaaaaa-0000-4000-8000-000000000001", "run_id": "11111111-1111-4111-8111-111111111111", "output_resource_name": "x"}, {"id": "AAAAAAAA-0000-4000-8000-000000000001", "run_id": "11111111-1111-4111-8111-111111111111", "output_resource_name": "y"}]}"#,
         "gold_labels[1]: id AAAAAAAA-0000-4000-8000-000000000001 is the id of an earlier gold label"),
        (#"{"runs": [{"id": "11111111-1111-4111-8111-111111111111", "account_id": "a"}, {"id": "11111111-1111-4111-8111-111111111111", "account_id": "b"}]}"#,
         "runs[1]: run 11111111-1111-4111-8111-111111111111 is declared twice"),
    ])
    func badSeedsAreReportedPrecisely(text: String, message: String) {
        #expect {
            _ = try SandboxSnapshot.decode(Array(text.utf8), source: "--seed s.json", now: "", newID: { T.unknownUUID })
        } throws: { error in
            let description = "\(error)"
            return description.hasPrefix("--seed s.json") && description.contains(message)
        }
    }

    @Test func unreadableSeedIsAConfigurationError() {
        #expect(throws: SandboxConfigurationError.self) {
            _ = try Sandbox(T.configuration(seedFile: "/nonexistent/seed.json"))
        }
    }
}
