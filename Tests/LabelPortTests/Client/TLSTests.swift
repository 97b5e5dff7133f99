import Hummingbird
import HummingbirdTLS
@testable import LabelPortCore
import Logging
import NIOCore
import NIOSSL
import Testing

/// https through the client, against a Hummingbird server with the self-signed
/// `localhost` certificate in Fixtures/tls: full verification of chain and host name.
@Suite("TLS", .timeLimit(.minutes(2)))
struct TLSTransportTests {
    static let directory = Fixtures.directory("tls")
    static let token = "tls-test-token-9c1d44"
    static let run = "11111111-1111-4111-8111-111111111111"

    /// Runs `body` with the port of an https server answering the list and create calls.
    static func withTLSServer<Result: Sendable>(_ body: @escaping @Sendable (Int) async throws -> Result) async throws -> Result {
        let certificates = try NIOSSLCertificate.fromPEMFile(directory + "localhost-cert.pem")
        let key = try NIOSSLPrivateKey(file: directory + "localhost-key.pem", format: .pem)
        let tls = TLSConfiguration.makeServerConfiguration(certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
        let router = Router()
        router.get("v1/run/:run/gold-labels") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "[]")))
        }
        router.post("v1/run/:run/gold-labels") { request, context in
            let run = context.parameters.get("run") ?? ""
            let label = #"{"id":"aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa","account_id":"a","run_id":"\#(run)","output_resource_name":"tls-doc","text_value":"x","created_at":"2024-01-01T00:00:00Z"}"#
            let authorized = request.headers[.authorization] == "Bearer \(token)"
            return Response(
                status: authorized ? .created : .unauthorized, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: authorized ? label : #"{"error":"bad token"}"#)))
        }
        var logger = Logger(label: "tls-test")
        logger.logLevel = .critical
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) },
            logger: logger)
        return try await withThrowingTaskGroup(of: Result?.self) { group in
            group.addTask {
                try await app.run()
                return nil
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            let result: Swift.Result<Result, any Error>
            do {
                result = .success(try await body(port))
            } catch {
                result = .failure(error)
            }
            group.cancelAll()
            try? await group.waitForAll()
            return try result.get()
        }
    }

    static func configuration(_ url: String, trustFixture: Bool) throws -> RefactorClient.Configuration {
        var configuration = RefactorClient.Configuration(
            server: try ServerAddress(url), token: APIToken(token)!, concurrency: 2, requestTimeout: .seconds(10), connectTimeout: .seconds(5))
        if trustFixture {
            configuration.trust = try TrustSettings(caFile: directory + "localhost-cert.pem", environment: [:])
        }
        return configuration
    }

    @Test("https with a trusted certificate: requests succeed over TLS")
    func trusted() async throws {
        try await Self.withTLSServer { port in
            let configuration = try Self.configuration("https://localhost:\(port)", trustFixture: true)
            try await RefactorClient.withClient(configuration) { client in
                #expect(try await client.listGoldLabels(runID: Self.run).isEmpty)
                for _ in 0..<3 {
                    let label = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "tls-doc", textValue: "x"))
                    #expect(label.outputResourceName == "tls-doc")
                }
            }
        }
    }

    @Test("a certificate no trusted root signed is refused before anything is sent, without the token in the error")
    func untrusted() async throws {
        try await Self.withTLSServer { port in
            let configuration = try Self.configuration("https://localhost:\(port)", trustFixture: false)
            let error = await expectAPIError {
                try await RefactorClient.withClient(configuration) { client in
                    _ = try await client.createGoldLabel(runID: Self.run, CreateGoldLabelRequest(outputResourceName: "tls-doc", textValue: "x"))
                }
            }
            #expect(error?.kind == .certificateRejected, "\(String(describing: error))")
            #expect(error?.outcomeUnknown == false)
            #expect(error?.isRetryable == false)
            #expect(error?.description == #"create gold label "tls-doc" in run \#(Self.run): the certificate of localhost:\#(port) is not trusted (signed by an unknown authority, expired or not valid yet); if the server uses a private CA, pass --ca-file PATH with its certificate (PEM) or set SSL_CERT_FILE to a bundle that holds it"#)
        }
    }

    @Test("a certificate no CA of --ca-file signed: the message names the file and the other causes, not --ca-file as the cure")
    func untrustedWithCAFile() async throws {
        try await Self.withTLSServer { port in
            var configuration = try Self.configuration("https://localhost:\(port)", trustFixture: false)
            configuration.trust = try TrustSettings(caFile: Self.directory + "other-ca.pem", environment: [:])
            let error = await expectAPIError {
                try await RefactorClient.withClient(configuration) { client in _ = try await client.listGoldLabels(runID: Self.run) }
            }
            #expect(error?.kind == .certificateRejected, "\(String(describing: error))")
            #expect(error?.description == "list gold labels of run \(Self.run): the certificate of localhost:\(port) is not trusted: no CA in --ca-file \(Self.directory)other-ca.pem signed it, or it has expired or is not valid yet (`openssl s_client -connect localhost:\(port) -showcerts` shows its issuer and dates)")
        }
    }

    @Test("a trusted certificate for another host name is refused")
    func wrongHostName() async throws {
        try await Self.withTLSServer { port in
            // The certificate names DNS:localhost only, not the address 127.0.0.1.
            let configuration = try Self.configuration("https://127.0.0.1:\(port)", trustFixture: true)
            let error = await expectAPIError {
                try await RefactorClient.withClient(configuration) { client in
                    _ = try await client.listGoldLabels(runID: Self.run)
                }
            }
            #expect(error?.kind == .certificateRejected, "\(String(describing: error))")
            #expect(error?.description.contains("certificate of 127.0.0.1:\(port)") == true, "\(String(describing: error))")
        }
    }

    @Test("SSL_CERT_FILE is the trust bundle; a --ca-file that holds no certificate is a usage error")
    func trustFiles() async throws {
        try await Self.withTLSServer { port in
            var configuration = try Self.configuration("https://localhost:\(port)", trustFixture: false)
            configuration.trust = try TrustSettings(caFile: nil, environment: ["SSL_CERT_FILE": Self.directory + "localhost-cert.pem"])
            let labels = try await RefactorClient.withClient(configuration) { client in
                try await client.listGoldLabels(runID: Self.run)
            }
            #expect(labels.isEmpty)
        }
        #expect(throws: ConfigurationError("--ca-file \(Self.directory)localhost-key.pem holds no PEM certificate (it should hold lines like -----BEGIN CERTIFICATE-----)")) {
            try TrustSettings(caFile: Self.directory + "localhost-key.pem", environment: [:])
        }
        #expect(throws: ConfigurationError("SSL_CERT_FILE /nonexistent.pem: cannot read it (No such file or directory)")) {
            try TrustSettings(caFile: nil, environment: ["SSL_CERT_FILE": "/nonexistent.pem"])
        }
    }
}
