import LabelPortCore
import LabelPortSandbox
import Testing

@Suite("Sandbox never shows the token", .timeLimit(.minutes(10)))
struct SandboxSecretTests {
    typealias T = TestSandbox

    @Test func tokenAppearsInNoErrorAndNoLogLine() async throws {
        let capture = LogCapture()
        var descriptions: [String] = []
        try await T.withRunning(logger: capture.logger(), { $0.faults = FaultSpec(error: 0.3, throttle: 0.3, dropAfterCommit: 0.3) }) { sandbox in
            for token in [T.tokenA, "wrong-\(T.tokenA)"] {
                let found = try await T.withClient(sandbox, token: token) { client in
                    var found: [String] = []
                    for i in 0..<20 {
                        do { _ = try await client.createGoldLabel(runID: T.runA, CreateGoldLabelRequest(outputResourceName: "n\(i)", textValue: "v")) } catch let error as APIError {
                            found.append(error.description)
                        }
                        do { _ = try await client.getGoldLabel(runID: T.runA, labelID: T.unknownUUID) } catch let error as APIError {
                            found.append(error.description)
                        }
                    }
                    return found
                }
                descriptions += found
            }
        }
        #expect(descriptions.count > 20)
        #expect(!capture.text.isEmpty)
        for text in descriptions + [capture.text] {
            #expect(!text.contains(T.tokenA))
        }
    }
}
