import NIOCore
import NIOPosix
import Synchronization

/// A raw HTTP/1.1 server on loopback for client transport tests: every request is
/// answered by a script that picks the exact bytes and whether to close, and the server
/// counts connections (accepted, open at once).
final class ScriptedHTTPServer: Sendable {
    struct Request: Sendable {
        /// 1-based number of the connection, in order of acceptance.
        var connection: Int
        /// 1-based number of the request on its connection.
        var indexOnConnection: Int
        /// 1-based number of the request on the server.
        var index: Int
        var requestLine: String
        var head: String
        var body: String
    }

    enum Reply: Sendable {
        /// Writes `bytes`; with `close`, then closes the connection (without any header saying so).
        case send(String, close: Bool = false)
        /// Closes the connection without answering.
        case closeWithoutAnswer
        /// Never answers (a hung server).
        case ignore
        /// Writes the pieces one after another, `every` apart (a slow link); with `close`,
        /// then closes the connection.
        case trickle([String], every: TimeAmount, close: Bool = false)
    }

    struct Counts: Sendable {
        var accepted = 0
        var open = 0
        var mostOpen = 0
        var requests = 0
    }

    let port: Int
    private let counts: Mutex<Counts>
    private let channel: any Channel

    private init(channel: any Channel, counts: Counts) {
        self.channel = channel
        self.port = channel.localAddress?.port ?? 0
        self.counts = Mutex(counts)
    }

    var connectionCounts: Counts { counts.withLock { $0 } }

    /// Starts a server on 127.0.0.1 and a free port, runs `body`, stops the server.
    static func withRunning<Result>(
        _ respond: @escaping @Sendable (Request) -> Reply,
        _ body: (ScriptedHTTPServer) async throws -> Result
    ) async throws -> Result {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedConnectionHandler(box: box, respond: respond))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedHTTPServer(channel: channel, counts: Counts())
        box.server.withLock { $0 = server }
        let result: Swift.Result<Result, any Error>
        do {
            result = .success(try await body(server))
        } catch {
            result = .failure(error)
        }
        try? await channel.close()
        try? await group.shutdownGracefully()
        return try result.get()
    }

    fileprivate func update(_ change: (inout Counts) -> Void) -> Counts {
        counts.withLock { change(&$0); return $0 }
    }

    /// An HTTP/1.1 response with a Content-Length body.
    static func response(_ status: Int = 200, _ body: String, headers: [String] = []) -> String {
        var text = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        for header in headers { text += header + "\r\n" }
        return text + "\r\n" + body
    }

    /// An HTTP/1.1 response whose body is sent as the given chunks.
    static func chunkedResponse(_ status: Int = 200, chunks: [String], headers: [String] = []) -> String {
        var text = "HTTP/1.1 \(status) X\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
        for header in headers { text += header + "\r\n" }
        text += "\r\n"
        for chunk in chunks { text += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }
        return text + "0\r\n\r\n"
    }
}

/// Lets connection handlers reach the server once it exists.
private final class ServerBox: Sendable {
    let server = Mutex<ScriptedHTTPServer?>(nil)
}

private final class ScriptedConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let box: ServerBox
    private let respond: @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply
    private var buffer = ByteBuffer()
    private var connection = 0
    private var requestsHere = 0

    init(box: ServerBox, respond: @escaping @Sendable (ScriptedHTTPServer.Request) -> ScriptedHTTPServer.Reply) {
        self.box = box
        self.respond = respond
    }

    private var server: ScriptedHTTPServer? { box.server.withLock { $0 } }

    func channelActive(context: ChannelHandlerContext) {
        let counts = server?.update { counts in
            counts.accepted += 1
            counts.open += 1
            counts.mostOpen = max(counts.mostOpen, counts.open)
        }
        connection = counts?.accepted ?? 0
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        _ = server?.update { $0.open -= 1 }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        buffer.writeBuffer(&bytes)
        while let request = nextRequest() {
            requestsHere += 1
            let index = server?.update { $0.requests += 1 }.requests ?? 0
            let lines = request.head.split(separator: "\r\n", maxSplits: 1)
            let reply = respond(.init(
                connection: connection, indexOnConnection: requestsHere, index: index,
                requestLine: lines.first.map(String.init) ?? "", head: request.head, body: request.body))
            switch reply {
            case .send(let text, let close):
                let written = context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)))
                if close {
                    let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                    written.whenComplete { _ in bound.value.close(promise: nil) }
                    return
                }
            case .closeWithoutAnswer:
                context.close(promise: nil)
                return
            case .ignore:
                break
            case .trickle(let pieces, let every, let close):
                let loop = context.eventLoop
                let bound = NIOLoopBound(context, eventLoop: loop)
                for (index, piece) in pieces.enumerated() {
                    loop.scheduleTask(in: every * Int64(index + 1)) {
                        let context = bound.value
                        context.writeAndFlush(NIOAny(ByteBuffer(string: piece)), promise: nil)
                        if close && index == pieces.count - 1 { context.close(promise: nil) }
                    }
                }
                if close { return }
            }
        }
    }

    private func nextRequest() -> (head: String, body: String)? {
        let text = buffer.getString(at: buffer.readerIndex, length: buffer.readableBytes) ?? ""
        guard let end = text.utf8.firstRange(of: "\r\n\r\n".utf8) else { return nil }
        let head = String(text[..<end.lowerBound])
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: " ")) ?? 0
        }
        let headBytes = text.utf8.distance(from: text.utf8.startIndex, to: end.upperBound)
        guard buffer.readableBytes >= headBytes + length else { return nil }
        buffer.moveReaderIndex(forwardBy: headBytes)
        let body = buffer.readString(length: length) ?? ""
        buffer.discardReadBytes()
        return (head, body)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in character: Character) -> Substring {
        var s = self
        while s.first == character { s = s.dropFirst() }
        while s.last == character { s = s.dropLast() }
        return s
    }
}
