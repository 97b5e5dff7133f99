import NIOCore

/// Counts the flushes and reads that reach it, placed on the socket's side of the handler
/// under test.
final class OutboundCounter: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
    var flushes = 0
    var reads = 0

    func flush(context: ChannelHandlerContext) {
        flushes += 1
        context.flush()
    }

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}
