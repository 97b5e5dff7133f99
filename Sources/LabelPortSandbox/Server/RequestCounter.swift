import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Counts a connection's API requests for the stats' `in_flight`, `max_in_flight` and
/// arrivals: in flight from the moment a request's head is read (before the `latency`
/// fault holds it) until its answer's end is written or the connection closes.
final class RequestCounter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let stats: SandboxStats
    /// Per request read and not answered yet, oldest first: whether it is counted.
    private var unanswered = CircularBuffer<Bool>()

    init(stats: SandboxStats) {
        self.stats = stats
    }

    /// Whether `path` is the API's, under `/v1` (counted, delayed by `latency`).
    static func isAPI(path: String?) -> Bool {
        (path ?? "").hasPrefix("/v1/")
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            let counted = Self.isAPI(path: head.path)
            unanswered.append(counted)
            if counted { stats.arrive() }
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), let counted = unanswered.popFirst(), counted {
            stats.leave()
        }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        for counted in unanswered where counted { stats.leave() }
        unanswered.removeAll()
        context.fireChannelInactive()
    }
}
