import NIOCore
import NIOHTTP2

/// Tells an HTTP/2 connection that went silent from one that is only slow, and closes the
/// silent one.
///
/// AsyncHTTPClient sends no PING and never closes a connection that stays open but no
/// longer carries bytes (a NAT or a load balancer that dropped the flow). After a request
/// timed out, ``probe(within:)`` sends a PING once the connection has read no frame for the
/// wait (at once, or when the wait since its last frame is over; a frame read meanwhile
/// ends the probe): a live server acks it at once, however slow its answers. If nothing
/// arrives within the wait after the PING, the connection is closed: its streams end as cut
/// off (their outcome unknown, settled as any cut-off request's), and the next request
/// opens a new connection. Sits behind the frame handler, seeing every frame read.
final class ConnectionWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTP2Frame
    typealias InboundOut = HTTP2Frame
    typealias OutboundIn = HTTP2Frame
    typealias OutboundOut = HTTP2Frame

    private let now: () -> NIODeadline
    private var context: ChannelHandlerContext?
    private var lastRead: NIODeadline
    private var probing = false

    init(now: @escaping () -> NIODeadline = NIODeadline.now) {
        self.now = now
        self.lastRead = now()
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastRead = now()
        context.fireChannelRead(data)
    }

    /// Checks that the connection still carries frames, unless a probe is under way.
    func probe(within wait: TimeAmount) {
        guard context != nil, !probing else { return }
        probing = true
        let quietSince = lastRead
        let quiet = now() - quietSince
        guard quiet < wait else { return ping(within: wait) }
        // Frames came lately: look again when the wait since the last of them is over.
        schedule(in: wait - quiet) {
            if self.lastRead > quietSince { self.probing = false } else { self.ping(within: wait) }
        }
    }

    /// Sends a PING and closes the connection if no frame at all arrives within `wait`.
    private func ping(within wait: TimeAmount) {
        guard let context else { return }
        let sent = now()
        let ping = HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: UInt64(sent.uptimeNanoseconds)), ack: false))
        context.writeAndFlush(wrapOutboundOut(ping), promise: nil)
        schedule(in: wait) {
            self.probing = false
            guard self.lastRead < sent, let context = self.context else { return }
            context.close(promise: nil)
        }
    }

    private func schedule(in delay: TimeAmount, _ task: @escaping () -> Void) {
        guard let context else { return }
        context.eventLoop.assumeIsolated().scheduleTask(in: delay, task)
    }
}
