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

    @Test("a proxy that refuses the tunnel: never sent, and the message says labelport tunnels http:// too; never the credentials")
    func proxyRefusedTunnel() throws {
        let proxy = try ProxySettings(url: "http://alice:s3cret@proxy.corp:3128", source: "HTTP_PROXY")
        let failure = NetworkFailure(server: "api.example.com:8080", proxy: proxy, timeout: .seconds(30), trust: TrustSettings())
        let error = failure.apiError(HTTPClientError.invalidProxyResponse, operation: "list gold labels of run R")
        #expect(error.kind == .proxyFailed)
        #expect(!error.outcomeUnknown)
        #expect(error.description == "list gold labels of run R: proxy proxy.corp:3128 (from HTTP_PROXY) refused to open a tunnel to api.example.com:8080 (check that the proxy allows CONNECT to this host and port: labelport tunnels http:// through it too)")
        #expect(!error.description.contains("s3cret"))
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
