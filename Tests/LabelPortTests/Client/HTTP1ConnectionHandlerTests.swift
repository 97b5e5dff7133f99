@testable import LabelPortCore
import NIOCore
import NIOEmbedded
import Testing

/// The exact line between "never sent" (safe to send on another connection) and "sent,
/// outcome unknown", on one connection in memory.
@Suite("HTTP/1.1 connection handler")
struct HTTP1ConnectionHandlerTests {
    static let request = ByteBuffer(string: "GET /v1/run/x/gold-labels HTTP/1.1\r\nHost: h\r\n\r\n")

    static func connected() throws -> (EmbeddedChannel, HTTP1ConnectionHandler) {
        let handler = HTTP1ConnectionHandler(maximumBodyBytes: 1000, requestTimeout: .seconds(30), handshakeTimeout: nil, onClose: {})
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return (channel, handler)
    }

    static func summary(_ outcome: HTTP1ConnectionHandler.Outcome) -> String {
        switch outcome {
        case .response(let response): "response \(response.status) \(String(buffer: response.body)) keepAlive=\(response.keepAlive)"
        case .failed(let failure): "failed \(failure)"
        case .notSent: "not sent"
        }
    }

    @Test("a connection that closed before the write is not used: nothing is written")
    func closedBeforeWriting() async throws {
        let (channel, handler) = try Self.connected()
        try await channel.close()
        let outcome = await withUnsafeContinuation { handler.start(id: 1, request: Self.request, continuation: $0) }
        #expect(Self.summary(outcome) == "not sent")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test("a connection that closes after the write is dropped: the outcome is unknown")
    func closedAfterWriting() async throws {
        let (channel, handler) = try Self.connected()
        let outcome = await withUnsafeContinuation { continuation in
            handler.start(id: 1, request: Self.request, continuation: continuation)
            #expect((try? channel.readOutbound(as: ByteBuffer.self)) == Self.request)
            try? channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n[1,"))
            channel.pipeline.fireChannelInactive()
        }
        #expect(Self.summary(outcome) == "failed dropped(nil)")
    }

    @Test("a response completes the request and leaves the connection reusable")
    func response() async throws {
        let (channel, handler) = try Self.connected()
        for id in 1...2 {
            let outcome = await withUnsafeContinuation { continuation in
                handler.start(id: UInt64(id), request: Self.request, continuation: continuation)
                try? channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]"))
            }
            #expect(Self.summary(outcome) == "response 200 [] keepAlive=true")
        }
        #expect(channel.isActive)
    }

    @Test("each request times out at its own deadline, on one re-armed timer per connection")
    func timeouts() async throws {
        let (channel, handler) = try Self.connected()
        let loop = channel.embeddedEventLoop
        // Request 1 answers at once; its deadline (30 s) arms the connection's timer.
        let first = await withUnsafeContinuation { continuation in
            handler.start(id: 1, request: Self.request, continuation: continuation)
            try? channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]"))
        }
        #expect(Self.summary(first) == "response 200 [] keepAlive=true")
        // Request 2 starts 20 s later and gets no answer: the timer fires at 30 s (request
        // 1's deadline), finds request 2's deadline at 50 s still ahead, and waits for it.
        let second = await withUnsafeContinuation { continuation in
            loop.advanceTime(by: .seconds(20))
            handler.start(id: 2, request: Self.request, continuation: continuation)
            loop.advanceTime(by: .seconds(29))
            #expect(channel.isActive, "timed out before its own deadline")
            loop.advanceTime(by: .seconds(1))
        }
        #expect(Self.summary(second) == "failed timeout")
        #expect(!channel.isActive)
    }

    @Test("a request cancelled before it started is never written")
    func cancelledBeforeStart() async throws {
        let (channel, handler) = try Self.connected()
        handler.cancel(id: 7)
        let outcome = await withUnsafeContinuation { handler.start(id: 7, request: Self.request, continuation: $0) }
        #expect(Self.summary(outcome) == "failed cancelled")
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
    }

    @Test("bytes that arrive with no request in flight close the connection")
    func unsolicited() throws {
        let (channel, _) = try Self.connected()
        try channel.writeInbound(ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"))
        #expect(!channel.isActive)
    }
}
