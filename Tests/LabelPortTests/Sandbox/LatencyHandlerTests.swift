import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import LabelPortSandbox

/// The latency fault's handler on a channel of its own, on the test loop's clock: requests
/// held for the latency and passed on in order; no read asked of the connection while it
/// holds its limit, and asked again once it holds less.
@Suite("Latency handler")
struct LatencyHandlerTests {
    /// Collects the request parts that get through.
    final class Collector: ChannelInboundHandler {
        typealias InboundIn = HTTPRequestPart
        var paths: [String] = []
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .head(let head) = unwrapInboundIn(data) { paths.append(head.path ?? "") }
        }
    }

    let loop = EmbeddedEventLoop()
    let counter = OutboundCounter()
    let collector = Collector()

    func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandlers([counter, LatencyHandler(latency: .milliseconds(20)), collector])
        return channel
    }

    func request(_ path: String) -> [HTTPRequestPart] {
        [.head(HTTPRequest(method: .get, scheme: nil, authority: "sandbox", path: path)), .end(nil)]
    }

    @Test func requestsAreHeldForTheLatencyAndPassedOnInOrder() throws {
        let channel = try channel()
        for part in request("/v1/run/a/gold-labels") + request("/_sandbox/stats") + request("/v1/run/b/gold-labels") {
            try channel.writeInbound(part)
        }
        #expect(collector.paths.isEmpty)
        loop.advanceTime(by: .milliseconds(19))
        #expect(collector.paths.isEmpty)
        loop.advanceTime(by: .milliseconds(1))
        // The stats request, not held itself, waits behind the one before it.
        #expect(collector.paths == ["/v1/run/a/gold-labels", "/_sandbox/stats", "/v1/run/b/gold-labels"])
        _ = try channel.finish()
    }

    @Test func noReadIsAskedWhileTheLimitIsHeldAndOneIsAskedOnceBelowIt() throws {
        let channel = try channel()
        let requests = LatencyHandler.holdLimit / 2
        for i in 0..<requests {
            for part in request("/v1/run/r/gold-label/\(i)") { try channel.writeInbound(part) }
        }
        channel.read()
        #expect(counter.reads == 0)
        channel.read()
        #expect(counter.reads == 0)
        loop.advanceTime(by: .milliseconds(20))
        #expect(collector.paths.count == requests)
        #expect(counter.reads == 1)
        channel.read()
        #expect(counter.reads == 2)
        _ = try channel.finish()
    }

    @Test func aReadWithheldIsAskedForWhenTheHandlerIsRemoved() throws {
        let channel = try channel()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        for i in 0..<LatencyHandler.holdLimit {
            try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: .get, scheme: nil, authority: "s", path: "/v1/\(i)")))
        }
        channel.read()
        #expect(counter.reads == 0)
        let handler = try channel.pipeline.syncOperations.handler(type: LatencyHandler.self)
        try channel.pipeline.syncOperations.removeHandler(handler).wait()
        #expect(counter.reads == 1)
        _ = try? channel.finish()
    }
}
