#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import LabelPortCore
import LabelPortSandbox
import Testing

/// A TCP socket bound to a free loopback port, never listening.
struct BoundSocket {
    let descriptor: Int32
    let port: Int

    init?() {
        #if canImport(Glibc)
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let descriptor = Darwin.socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else {
            Self.close(descriptor)
            return nil
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        Self.close(descriptor)
    }

    private static func close(_ descriptor: Int32) {
        #if canImport(Glibc)
        _ = Glibc.close(descriptor)
        #else
        _ = Darwin.close(descriptor)
        #endif
    }
}

/// The client tells apart a timeout, a dropped connection, a refused connection and an
/// HTTP error, because import must know whether a create may have been applied.
@Suite("Client transport errors", .timeLimit(.minutes(10)))
struct ClientTransportTests {
    @Test("no byte within the timeout is .timeout, and its outcome is unknown")
    func timeout() async throws {
        try await TestSandbox.withRunning({ $0.faults = FaultSpec(latency: .milliseconds(600)) }) { sandbox in
            let server = try ServerAddress(sandbox.baseURL)
            let configuration = RefactorClient.Configuration(
                server: server, token: APIToken(TestSandbox.tokenA)!, concurrency: 1, requestTimeout: .milliseconds(150))
            let error = await expectAPIError {
                try await RefactorClient.withClient(configuration) { client in
                    _ = try await client.createGoldLabel(runID: TestSandbox.runA, CreateGoldLabelRequest(outputResourceName: "slow", textValue: "x"))
                }
            }
            #expect(error?.kind == .timeout)
            #expect(error?.outcomeUnknown == true)
            #expect(error?.status == nil)
            #expect(error?.isRetryable == true)
        }
    }

    @Test("nothing listening is .connectFailed: the request was never sent, so resending is safe")
    func refused() async throws {
        // A socket bound to a free port but not listening: connections to it are refused,
        // and no other test's server can take the port meanwhile.
        let socket = try #require(BoundSocket())
        defer { socket.close() }
        let port = socket.port
        let configuration = RefactorClient.Configuration(
            server: try ServerAddress("http://127.0.0.1:\(port)"), token: APIToken("t")!, concurrency: 1,
            requestTimeout: .seconds(2), connectTimeout: .milliseconds(500))
        let error = await expectAPIError {
            try await RefactorClient.withClient(configuration) { client in
                _ = try await client.listGoldLabels(runID: TestSandbox.runA)
            }
        }
        #expect(error?.kind == .connectFailed, "\(String(describing: error))")
        #expect(error?.outcomeUnknown == false)
        #expect(error?.description == "list gold labels of run \(TestSandbox.runA): could not connect to 127.0.0.1:\(port): connection refused (is the server running, and is the port right?)")
    }

    @Test("a host name that does not resolve is said in words, and not retried")
    func nameNotFound() async throws {
        let configuration = RefactorClient.Configuration(
            server: try ServerAddress("https://no-such-host.invalid"), token: APIToken("t")!, concurrency: 1, requestTimeout: .seconds(5))
        let error = await expectAPIError {
            try await RefactorClient.withClient(configuration) { client in
                _ = try await client.listGoldLabels(runID: TestSandbox.runA)
            }
        }
        #expect(error?.kind == .hostNotFound, "\(String(describing: error))")
        #expect(error?.isRetryable == false)
        #expect(error?.description == "list gold labels of run \(TestSandbox.runA): no-such-host.invalid: name not found (check the host name in --base-url)")
    }

    @Test("an HTTP error carries the status and the server's error text, and says what is missing")
    func httpError() async throws {
        try await TestSandbox.withRunning { sandbox in
            let error = await expectAPIError {
                try await TestSandbox.withClient(sandbox) { client in
                    _ = try await client.getGoldLabel(runID: TestSandbox.runA, labelID: TestSandbox.unknownUUID)
                }
            }
            #expect(error?.kind == .notFound)
            #expect(error?.status == 404)
            #expect(error?.description.contains("gold label \(TestSandbox.unknownUUID) not found in run \(TestSandbox.runA)") == true)
        }
    }

    @Test("plain http to a host that is not loopback is refused unless allowed")
    func insecureHTTP() throws {
        #expect(throws: ConfigurationError.self) { try ServerAddress("http://api.example.com") }
        #expect(try ServerAddress("http://api.example.com", allowInsecureHTTP: true).host == "api.example.com")
        #expect(try ServerAddress("http://localhost:8787/").baseURL == "http://localhost:8787")
        #expect(try ServerAddress("http://127.0.0.2:1").host == "127.0.0.2")
        #expect(try ServerAddress("https://api.example.com/").baseURL == "https://api.example.com")
        #expect(try ServerAddress("https://api.example.com/api/").baseURL == "https://api.example.com/api")
        #expect(try ServerAddress("https://api.example.com:8443/api").hostAndPort == "api.example.com:8443")
        #expect(throws: ConfigurationError(#"base URL "https://api.example.com/api/v1/" ends in /v1, but labelport adds /v1/... itself: give the server root, e.g. https://api.example.com/api"#)) {
            try ServerAddress("https://api.example.com/api/v1/")
        }
    }

    @Test("a malformed host is a usage error in words, not a request that fails after retries")
    func malformedHost() throws {
        #expect(throws: ConfigurationError(#"base URL "http://[::1" opens an IPv6 address with [ but does not close it with ]"#)) {
            try ServerAddress("http://[::1")
        }
        #expect(throws: ConfigurationError(#"base URL "https://api example.com" has an invalid host "api example.com""#)) {
            try ServerAddress("https://api example.com")
        }
        #expect(throws: ConfigurationError(#"base URL "https://[fe80::1%eth0]" has an invalid IPv6 address "fe80::1%eth0""#)) {
            try ServerAddress("https://[fe80::1%eth0]")
        }
        #expect(try ServerAddress("http://[::1]:8787").hostAndPort == "[::1]:8787")
        #expect(try ServerAddress("https://api_v2.example-host.com").host == "api_v2.example-host.com")
        #expect(try ServerAddress("https://bücher.example/api").host == "bücher.example", "an international name")
    }
}
