import AsyncHTTPClient
import Testing
@testable import LabelPortCore

@Suite("Network failures in words", .timeLimit(.minutes(1)))
struct NetworkFailureTests {
    static let failure = NetworkFailure(server: "api.example.com:443", proxy: nil, timeout: .seconds(30), trust: TrustSettings())

    @Test("a request the client dropped because its connection was closing (HTTP/2 GOAWAY) was never sent: retried, not failed")
    func closingConnectionIsNotSent() async {
        let error = Self.failure.apiError(HTTPClientError.cancelled, operation: "create gold label \"doc-1\"")
        #expect(error.kind == .connectFailed)
        #expect(error.isRetryable)
        #expect(!error.outcomeUnknown)
        #expect(error.description == "create gold label \"doc-1\": api.example.com:443 closed the connection before the request was sent on it")
    }

    @Test("a request cancelled by labelport (its task cancelled) stays cancelled")
    func cancelledByUs() async {
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return Self.failure.apiError(HTTPClientError.cancelled, operation: "create gold label \"doc-1\"")
        }
        let error = await task.value
        #expect(error.kind == .cancelled)
    }
}
