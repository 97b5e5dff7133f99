import NIOCore
import NIOHTTP1
import NIOHTTP2

/// Sends a request in one write, not one flush at a time.
///
/// AsyncHTTPClient flushes a request's head, its body and its end one by one: over TLS that
/// is three records and three writes to the socket a create, and the server reads three
/// times. Placed between the protocol's encoder and TLS, this handler passes writes on as
/// they come and holds their flushes: to the end of the task that wrote them, when that task
/// runs on the connection's loop (``FlushBatch``), or else to the end of the loop's turn.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny

    private let batch: FlushBatch?
    private var context: ChannelHandlerContext?
    private var flushPending = false

    init(batch: FlushBatch?) {
        self.batch = batch
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// A flush still owed goes out before the handler leaves the pipeline.
    func handlerRemoved(context: ChannelHandlerContext) {
        flushNow()
        self.context = nil
    }

    func flush(context: ChannelHandlerContext) {
        guard !flushPending else { return }
        flushPending = true
        if let batch, batch.hold(self) { return }
        context.eventLoop.assumeIsolated().execute { self.flushNow() }
    }

    /// Sends the writes held so far, if any.
    func flushNow() {
        guard flushPending, let context else { return }
        flushPending = false
        context.flush()
    }

    /// Adds a coalescer to a new connection's pipeline: in front of the request encoder over
    /// HTTP/1.1, in front of the frame handler over HTTP/2 (where all its streams' flushes
    /// meet). `batches` are the client's loops' (a connection on another loop has none).
    /// Never fails the connection: one whose pipeline is not as expected goes without.
    static func add(to channel: any Channel, http2: Bool, batches: [FlushBatch]) -> EventLoopFuture<Void> {
        let batch = batches.first { $0.eventLoop === channel.eventLoop }
        return channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations, coalescer = FlushCoalescer(batch: batch)
            _ = http2
                ? pipeline.insert(coalescer, .before, NIOHTTP2Handler.self)
                : pipeline.insert(coalescer, .before, HTTPRequestEncoder.self)
        }
    }
}
