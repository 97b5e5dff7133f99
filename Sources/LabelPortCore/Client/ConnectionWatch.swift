import NIOCore
import NIOHTTP2

/// Tells an HTTP/2 connection that went silent from one that is only slow, and closes the
/// silent one.
///
/// AsyncHTTPClient sends no PING and never closes a connection that stays open but no
/// longer carries bytes (a NAT or a load balancer that dropped the flow). After a request
/// timed out on the connection's loop, ``probe(within:)`` sends a PING, unless frames
/// arrived within the wait: a live server acks it at once, however slow its answers. If
/// nothing arrives within the wait, the connection is closed: its streams end as cut off
/// (their outcome unknown, settled as any cut-off request's), and the next request bound to
/// the loop opens a new connection. Sits behind the frame handler, seeing every frame read.
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

    /// Checks that the connection still carries bytes: frames read within `wait` (before
    /// now, or after a PING sent now) say it does; else it is closed.
    func probe(within wait: TimeAmount) {
        guard let context, !probing, now() - lastRead >= wait else { return }
        probing = true
        let sent = now()
        let ping = HTTP2Frame(streamID: .rootStream, payload: .ping(HTTP2PingData(withInteger: UInt64(sent.uptimeNanoseconds)), ack: false))
        context.writeAndFlush(wrapOutboundOut(ping), promise: nil)
        context.eventLoop.assumeIsolated().scheduleTask(in: wait) {
            self.probing = false
            guard self.lastRead < sent, let context = self.context else { return }
            context.close(promise: nil)
        }
    }
}
