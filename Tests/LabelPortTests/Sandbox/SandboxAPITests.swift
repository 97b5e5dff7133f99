import AsyncHTTPClient
import LabelPortCore
import LabelPortSandbox
import NIOCore
import NIOHTTP1
import Testing

@Suite("Sandbox API over HTTP", .timeLimit(.minutes(10)))
struct SandboxAPITests {
    typealias T = TestSandbox

    @Test func createGetListUpdateWithStatusesAndBodies() async throws {
        try await T.withRunning { sandbox in
            try await T.withClient(sandbox) { client in
                let object = try #require(JSONValue.parseForTest(#"{"b":12345678901234567890123,"a":0.10,"ü":"東京"}"#).objectValue)
                let created = try await client.createGoldLabel(
                    runID: T.runA, CreateGoldLabelRequest(outputResourceName: "doc-1", objectValue: object, objectValueIsPartial: true))
                #expect(UUIDText.isValid(created.id))
                #expect(created.accountID == T.accountA)
                #expect(created.runID == T.runA)
                #expect(created.createdBy == T.accountA)
                #expect(created.createdAt.hasSuffix("Z") && created.createdAt.count == 27)
                #expect(created.objectValue?.keys == ["b", "a", "ü"])  // keys as stored
                #expect(created.objectValue?["b"] == .number(JSONNumber("12345678901234567890123")!))
                #expect(created.updatedAt == nil)

                let text = try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "doc-2", textValue: "hello"))
                let listed = try await client.listGoldLabels(runID: T.runA)
                #expect(listed.map(\.id) == [created.id, text.id])  // creation order
                #expect(try await client.getGoldLabel(runID: T.runA, labelID: created.id) == created)

                let updated = try await client.updateGoldLabel(runID: T.runA, labelID: text.id, UpdateGoldLabelRequest(objectValue: object))
                #expect(updated.objectValue == object)
                #expect(updated.textValue == nil)  // object clears text
                #expect(updated.outputResourceName == "doc-2")
                #expect(updated.updatedBy == T.accountA)
                #expect(updated.updatedAt != nil)

                let back = try await client.updateGoldLabel(runID: T.runA, labelID: text.id, UpdateGoldLabelRequest(textValue: "again"))
                #expect(back.textValue == "again")
                #expect(back.objectValue == nil)  // text clears object

                let partial = try await client.updateGoldLabel(runID: T.runA, labelID: created.id, UpdateGoldLabelRequest(objectValueIsPartial: false))
                #expect(partial.objectValue == object && partial.objectValueIsPartial == false)  // only the given field changed

                let evaluation = try await client.getEvaluation(runID: T.runA, evaluationID: T.evaluationA)
                #expect(evaluation.value.literal == "0.12345678901234567890")
                #expect(evaluation.accountID == T.accountA)
                #expect(evaluation.outputName == "doc.pdf")
            }
            let stats = sandbox.stats
            #expect(stats.count(SandboxEndpoint.createGoldLabel.rawValue, "201") == 2)
            #expect(stats.count(SandboxEndpoint.updateGoldLabel.rawValue, "200") == 3)
            #expect(stats.count(SandboxEndpoint.listGoldLabels.rawValue, "200") == 1)
            #expect(stats.count(SandboxEndpoint.getGoldLabel.rawValue, "200") == 1)
            #expect(stats.count(SandboxEndpoint.getEvaluation.rawValue, "200") == 1)
            #expect(stats.writesApplied == 5)
            #expect(stats.totalRequests == 8)
        }
    }

    @Test func putNeverChangesOutputResourceName() async throws {
        try await T.withRunning { sandbox in
            let label = try await T.withClient(sandbox) { client in
                try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "keep-me", textValue: "x"))
            }
            let path = "/v1/run/\(T.runA)/gold-label/\(label.id)"
            let (status, body) = try await RawHTTP.send(sandbox, .PUT, path, token: T.tokenA, body: #"{"output_resource_name":"renamed","text_value":"y"}"#)
            #expect(status == 400)
            #expect(body.contains("output_resource_name cannot change"))
            let (same, _) = try await RawHTTP.send(sandbox, .PUT, path, token: T.tokenA, body: #"{"output_resource_name":"keep-me","text_value":"z"}"#)
            #expect(same == 200)
            let stored = sandbox.sandbox.goldLabels(runID: T.runA)
            #expect(stored.map(\.outputResourceName) == ["keep-me"])
            #expect(stored.first?.textValue == "z")
        }
    }

    @Test func textAndObjectTogetherIs400OnCreateAndUpdate() async throws {
        try await T.withRunning { sandbox in
            try await T.withClient(sandbox) { client in
                let both = CreateGoldLabelRequest(outputResourceName: "x", textValue: "t", objectValue: JSONObject([(key: "k", value: 1)]))
                let error = await expectAPIError { _ = try await client.createGoldLabel(runID: T.runA, both) }
                #expect(error?.kind == .badRequest)
                #expect(error?.detail?.contains("not both") == true)
                let label = try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "x", textValue: "t"))
                let updateError = await expectAPIError {
                    _ = try await client.updateGoldLabel(runID: T.runA, labelID: label.id, UpdateGoldLabelRequest(textValue: "a", objectValue: JSONObject()))
                }
                #expect(updateError?.kind == .badRequest)
                #expect(try await client.getGoldLabel(runID: T.runA, labelID: label.id).textValue == "t")
            }
        }
    }

    @Test func malformedBodiesAre400() async throws {
        try await T.withRunning { sandbox in
            let path = "/v1/run/\(T.runA)/gold-labels"
            for body in ["", "not json", "[]", "{}", #"{"output_resource_name":5}"#, #"{"output_resource_name":"a","text_value":null}"#,
                         #"{"output_resource_name":"a","object_value":"text"}"#, #"{"output_resource_name":"a","object_value_is_partial":"yes"}"#] {
                let (status, text) = try await RawHTTP.send(sandbox, .POST, path, token: T.tokenA, body: body)
                #expect(status == 400, "body \(body)")
                #expect(text.hasPrefix(#"{"error":""#), "body \(body)")
            }
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).isEmpty)
        }
    }

    @Test func missingOrWrongTokenIs401() async throws {
        try await T.withRunning { sandbox in
            for endpoint in [(HTTPMethod.GET, "/v1/run/\(T.runA)/gold-labels"), (.POST, "/v1/run/\(T.runA)/gold-labels"),
                             (.GET, "/v1/run/\(T.runA)/gold-label/\(T.unknownUUID)"), (.PUT, "/v1/run/\(T.runA)/gold-label/\(T.unknownUUID)"),
                             (.GET, "/v1/run/\(T.runA)/evaluation/\(T.evaluationA)")] {
                let (status, body) = try await RawHTTP.send(sandbox, endpoint.0, endpoint.1, token: nil, body: #"{"output_resource_name":"x"}"#)
                #expect(status == 401)
                #expect(body.hasPrefix(#"{"error":""#))
            }
            try await T.withClient(sandbox, token: "wrong-token") { client in
                let error = await expectAPIError { _ = try await client.listGoldLabels(runID: T.runA) }
                #expect(error?.kind == .unauthorized)
                #expect(error?.status == 401)
            }
            #expect(sandbox.sandbox.goldLabels(runID: T.runA).isEmpty)
        }
    }

    @Test func theBearerSchemeIsReadInAnyLetterCaseAndNoOtherIs() async throws {
        try await T.withRunning { sandbox in
            let path = "/v1/run/\(T.runA)/gold-labels"
            for (scheme, status) in [("Bearer", 200), ("bearer", 200), ("BEARER", 200), ("bEaReR", 200), ("Basic", 401), ("Bearer:", 401), ("Bearr ", 401)] {
                let (got, _) = try await RawHTTP.send(sandbox, .GET, path, authorization: "\(scheme) \(T.tokenA)", body: nil)
                #expect(got == status, "\(scheme)")
            }
            let (empty, _) = try await RawHTTP.send(sandbox, .GET, path, authorization: "Bearer ", body: nil)
            #expect(empty == 401)
        }
    }

    @Test func unknownAndForeignThingsAre404() async throws {
        try await T.withRunning { sandbox in
            let labelOfB = try await T.withClient(sandbox, token: T.tokenB) { client in
                try await client.createGoldLabel(runID: T.runB, CreateGoldLabelRequest(outputResourceName: "b", textValue: "secret of b"))
            }
            try await T.withClient(sandbox) { client in
                var errors: [APIError?] = []
                errors.append(await expectAPIError { _ = try await client.listGoldLabels(runID: T.unknownUUID) })
                errors.append(await expectAPIError { _ = try await client.listGoldLabels(runID: T.runB) })  // another account's run
                errors.append(await expectAPIError { _ = try await client.createGoldLabel(runID: T.runB, CreateGoldLabelRequest(outputResourceName: "x", textValue: "y")) })
                errors.append(await expectAPIError { _ = try await client.getGoldLabel(runID: T.runA, labelID: T.unknownUUID) })
                errors.append(await expectAPIError { _ = try await client.getGoldLabel(runID: T.runB, labelID: labelOfB.id) })
                errors.append(await expectAPIError { _ = try await client.getGoldLabel(runID: T.runA, labelID: labelOfB.id) })  // label of another run
                errors.append(await expectAPIError { _ = try await client.updateGoldLabel(runID: T.runB, labelID: labelOfB.id, UpdateGoldLabelRequest(textValue: "mine")) })
                errors.append(await expectAPIError { _ = try await client.getEvaluation(runID: T.runA, evaluationID: T.unknownUUID) })
                errors.append(await expectAPIError { _ = try await client.getEvaluation(runID: T.runB, evaluationID: T.evaluationA) })
                errors.append(await expectAPIError { _ = try await client.listGoldLabels(runID: "not-a-uuid") })
                for (index, error) in errors.enumerated() {
                    #expect(error?.kind == .notFound, "case \(index)")
                    #expect(error?.status == 404, "case \(index)")
                }
            }
            #expect(sandbox.sandbox.goldLabels(runID: T.runB).map(\.textValue) == ["secret of b"])
        }
    }

    @Test func createRunsAcceptsNewRunForTheCallersAccountOnly() async throws {
        try await T.withRunning({ $0.createRuns = true }) { sandbox in
            let fresh = "55555555-5555-4555-8555-555555555555"
            try await T.withClient(sandbox) { client in
                #expect(try await client.listGoldLabels(runID: fresh).isEmpty)
                _ = try await client.createGoldLabel(runID: fresh, CreateGoldLabelRequest(outputResourceName: "n", textValue: "v"))
                let foreign = await expectAPIError { _ = try await client.listGoldLabels(runID: T.runB) }
                #expect(foreign?.kind == .notFound)
            }
            try await T.withClient(sandbox, token: T.tokenB) { client in
                let error = await expectAPIError { _ = try await client.listGoldLabels(runID: fresh) }
                #expect(error?.kind == .notFound)
            }
            #expect(sandbox.sandbox.snapshot().runs[fresh] == T.accountA)
        }
    }

    @Test func otherMethodsOnApiPathsAre405() async throws {
        try await T.withRunning { sandbox in
            let (status, body) = try await RawHTTP.send(sandbox, .DELETE, "/v1/run/\(T.runA)/gold-labels", token: T.tokenA, body: nil)
            #expect(status == 405)
            #expect(body.contains("GET, POST"))
        }
    }
}

/// Plain AsyncHTTPClient requests, for what ``RefactorClient`` cannot send (no
/// Authorization header, arbitrary bodies).
enum RawHTTP {
    static func send(_ sandbox: RunningSandbox, _ method: HTTPMethod, _ path: String, token: String?, body: String?) async throws -> (Int, String) {
        try await send(sandbox, method, path, authorization: token.map { "Bearer \($0)" }, body: body)
    }

    static func send(
        _ sandbox: RunningSandbox, _ method: HTTPMethod, _ path: String, authorization: String?, body: String?
    ) async throws -> (Int, String) {
        var request = HTTPClientRequest(url: sandbox.baseURL + path)
        request.method = method
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        return (Int(response.status.code), String(buffer: buffer))
    }
}

extension JSONValue {
    static func parseForTest(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
}
