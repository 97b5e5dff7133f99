import LabelPortCore
import LabelPortSandbox
import Logging

/// Tokens and accounts of the test sandbox. Account A owns ``runA``; account B owns ``runB``.
enum TestSandbox {
    static let tokenA = "test-token-a-5f9c1e"
    static let tokenB = "test-token-b-83d2aa"
    static let accountA = "account-a"
    static let accountB = "account-b"
    static let runA = "11111111-1111-4111-8111-111111111111"
    static let runB = "22222222-2222-4222-8222-222222222222"
    static let evaluationA = "33333333-3333-4333-8333-333333333333"
    static let unknownUUID = "99999999-9999-4999-8999-999999999999"

    /// A configuration on a free port with both tokens, `runA`, `runB` and one
    /// evaluation in `runA`; `configure` changes it further.
    static func configuration(seedFile: String? = nil, _ configure: (inout SandboxConfiguration) -> Void = { _ in }) -> SandboxConfiguration {
        var configuration = SandboxConfiguration(
            port: 0, tokens: [tokenA: accountA, tokenB: accountB], seedFile: seedFile
        )
        configure(&configuration)
        return configuration
    }

    /// The standard seed (runs A and B, one evaluation) written into `directory`.
    static func writeSeed(in directory: TemporaryDirectory) throws -> String {
        try directory.write("seed.json", """
            {"runs": [{"id": "\(runA)", "account_id": "\(accountA)"}, {"id": "\(runB)", "account_id": "\(accountB)"}],
             "evaluations": [{"id": "\(evaluationA)", "run_id": "\(runA)", "evaluation_label_id": "44444444-4444-4444-8444-444444444444",
                              "output_name": "doc.pdf", "field_path": "$.total", "value": 0.12345678901234567890}]}
            """)
    }

    /// Starts a seeded sandbox (see ``configuration(seedFile:_:)``) and runs `body`.
    static func withRunning<Result>(
        logger: Logger? = nil, _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: (RunningSandbox) async throws -> Result
    ) async throws -> Result {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let configuration = configuration(seedFile: try writeSeed(in: directory), configure)
        return try await SandboxServer.withRunning(configuration, logger: logger, body)
    }

    /// Runs `body` with a ``RefactorClient`` for `sandbox` using `token`.
    static func withClient<Result: Sendable>(
        _ sandbox: RunningSandbox, token: String = tokenA,
        configure: (inout RefactorClient.Configuration) -> Void = { _ in },
        _ body: (RefactorClient) async throws -> Result
    ) async throws -> Result {
        let server = try ServerAddress(sandbox.baseURL, allowInsecureHTTP: false)
        guard let apiToken = APIToken(token) else { throw ConfigurationError("empty test token") }
        var configuration = RefactorClient.Configuration(server: server, token: apiToken, concurrency: 8, requestTimeout: .seconds(10))
        configure(&configuration)
        return try await RefactorClient.withClient(configuration, body)
    }
}

/// Runs `body` and returns the ``APIError`` it throws; fails the expectation when it
/// throws nothing or something else.
func expectAPIError(_ body: () async throws -> Void) async -> APIError? {
    do {
        try await body()
        return nil
    } catch let error as APIError {
        return error
    } catch {
        return nil
    }
}
