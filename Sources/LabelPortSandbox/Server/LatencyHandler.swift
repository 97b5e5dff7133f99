import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// The `latency` fault: holds each API request on its connection's event loop for the
/// latency before the handlers see it, on a timer of the loop's own (no task put to sleep
/// and woken on another thread). What follows a held part waits behind it, in order.
/// While ``holdLimit`` parts are held, the connection is not read (a client pipelining
/// requests fills the socket's buffers, not the sandbox's memory).
final class LatencyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// Parts held at most before reading stops.
    static let holdLimit = 64

    private enum Item {
        case read(NIOAny)
        case event(Any)
        case error(any Error)
    }

    private let latency: TimeAmount
    private var held = CircularBuffer<(item: Item, due: NIODeadline)>()
    /// When the request being read may go on.
    private var due = NIODeadline.distantPast
    private var timer: Scheduled<Void>?
    /// Reads passed on since the last read-complete passed on (the next stage delivers
    /// what it buffered on a read-complete).
    private var passedUnannounced = false
    /// A read asked for while the limit was reached, to ask for once below it.
    private var readWithheld = false

    init(latency: Duration) {
        self.latency = TimeAmount(latency)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data) {
            due = RequestCounter.isAPI(path: head.path) ? context.eventLoop.now + latency : .distantPast
        }
        hold(.read(data), context: context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        announce(context)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        hold(.event(event), context: context)
    }

    /// A parse error after a held request waits behind it, so that the request is served first.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        hold(.error(error), context: context)
    }

    func read(context: ChannelHandlerContext) {
        guard held.count < Self.holdLimit else {
            readWithheld = true
            return
        }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        stop()
        context.fireChannelInactive()
    }

    /// Removed from a live connection: a read it withheld is asked for, so reading goes on.
    func handlerRemoved(context: ChannelHandlerContext) {
        let withheld = readWithheld
        stop()
        if withheld, context.channel.isActive { context.read() }
    }

    private func stop() {
        timer?.cancel()
        timer = nil
        held.removeAll()
        readWithheld = false
    }

    /// Passes a read-complete on if reads were passed on since the last one.
    private func announce(_ context: ChannelHandlerContext) {
        guard passedUnannounced else { return }
        passedUnannounced = false
        context.fireChannelReadComplete()
    }

    private func hold(_ item: Item, context: ChannelHandlerContext) {
        if held.isEmpty, due <= context.eventLoop.now {
            pass(item, context: context)
            return
        }
        held.append((item, due))
        if timer == nil { schedule(context: context) }
    }

    private func schedule(context: ChannelHandlerContext) {
        guard let first = held.first else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: first.due) {
            self.timer = nil
            self.release(context: context)
        }
    }

    private func release(context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        while let first = held.first, first.due <= now {
            held.removeFirst()
            pass(first.item, context: context)
        }
        announce(context)
        if readWithheld, held.count < Self.holdLimit {
            readWithheld = false
            context.read()
        }
        schedule(context: context)
    }

    private func pass(_ item: Item, context: ChannelHandlerContext) {
        switch item {
        case .read(let data):
            passedUnannounced = true
            context.fireChannelRead(data)
        case .event(let event): context.fireUserInboundEventTriggered(event)
        case .error(let error): context.fireErrorCaught(error)
        }
    }
}
