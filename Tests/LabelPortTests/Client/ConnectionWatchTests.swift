@testable import LabelPortCore
import NIOCore
import NIOEmbedded
import NIOHTTP2
import Testing

/// After a request timed out, an HTTP/2 connection that read no frame within the wait is
/// sent a PING; still nothing within the wait, it is closed; a frame (the ack, or any
/// answer) keeps it open.
@Suite("Silent HTTP/2 connections", .timeLimit(.minutes(1)))
struct ConnectionWatchTests {
    let loop = EmbeddedEventLoop()

    /// A channel with a watch on `loop`'s clock.
    private func watched() throws -> (EmbeddedChannel, ConnectionWatch) {
        let loop = self.loop
        let watch = ConnectionWatch(now: { loop.now })
        let channel = EmbeddedChannel(handler: watch, loop: loop)
        try channel.connect(to: try SocketAddress(ipAddress: "127.0.0.1", port: 443)).wait()
        #expect(channel.isActive)
        return (channel, watch)
    }

    /// A channel that read a frame at 10 s, probed with a 5 s wait at 12 s; now 14 s.
    private func probedAfterAFrame() throws -> (EmbeddedChannel, ConnectionWatch) {
        let (channel, watch) = try watched()
        loop.advanceTime(by: .seconds(10))
        try channel.writeInbound(frame(.windowUpdate(windowSizeIncrement: 1)))
        loop.advanceTime(by: .seconds(2))
        watch.probe(within: .seconds(5))
        loop.advanceTime(by: .seconds(2))
        return (channel, watch)
    }

    private func frame(_ payload: HTTP2Frame.FramePayload) -> HTTP2Frame {
        HTTP2Frame(streamID: .rootStream, payload: payload)
    }

    private func pingsSent(_ channel: EmbeddedChannel) throws -> Int {
        var pings = 0
        while let frame = try channel.readOutbound(as: HTTP2Frame.self) {
            if case .ping(_, ack: false) = frame.payload { pings += 1 }
        }
        return pings
    }

    @Test("silent for the wait after a PING: closed")
    func silentIsClosed() throws {
        let (channel, watch) = try watched()
        loop.advanceTime(by: .seconds(10))
        watch.probe(within: .seconds(5))
        #expect(try pingsSent(channel) == 1)
        loop.advanceTime(by: .seconds(4))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test("the PING's ack within the wait: kept open")
    func ackKeepsItOpen() throws {
        let (channel, watch) = try watched()
        loop.advanceTime(by: .seconds(10))
        watch.probe(within: .seconds(5))
        #expect(try pingsSent(channel) == 1)
        loop.advanceTime(by: .milliseconds(20))
        try channel.writeInbound(frame(.ping(HTTP2PingData(withInteger: 1), ack: true)))
        loop.advanceTime(by: .seconds(10))
        #expect(channel.isActive)
        _ = try channel.finish()
    }

    @Test("frames read lately: the PING waits until the wait since the last of them is over; a second probe meanwhile sends none")
    func recentFramesDelayThePing() throws {
        let (channel, watch) = try probedAfterAFrame()
        watch.probe(within: .seconds(5))
        #expect(try pingsSent(channel) == 0)
        loop.advanceTime(by: .seconds(1))
        #expect(try pingsSent(channel) == 1)
        loop.advanceTime(by: .seconds(4))
        #expect(channel.isActive)
        loop.advanceTime(by: .seconds(1))
        #expect(!channel.isActive)
    }

    @Test("a frame read before the look again ends the probe without a PING; a later probe starts afresh")
    func frameEndsTheProbe() throws {
        let (channel, watch) = try probedAfterAFrame()
        try channel.writeInbound(frame(.windowUpdate(windowSizeIncrement: 1)))
        loop.advanceTime(by: .seconds(10))
        #expect(try pingsSent(channel) == 0)
        #expect(channel.isActive)
        watch.probe(within: .seconds(5))
        #expect(try pingsSent(channel) == 1)
        loop.advanceTime(by: .seconds(5))
        #expect(!channel.isActive)
    }
}
