import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import Synchronization

/// An answer read whole: its status, headers and body.
struct CollectedAnswer: Sendable {
    let version: HTTPVersion
    let status: Int
    let headers: HTTPHeaders
    let body: ByteBuffer
}

/// Collects one answer whole for AsyncHTTPClient's delegate API, refusing a body past
/// `limit`. AsyncHTTPClient calls it on the event loop the request is bound to; the lock
/// is never contended and is there for Swift's `Sendable`.
final class AnswerCollector: HTTPClientResponseDelegate {
    typealias Response = CollectedAnswer

    /// A body that grew past the limit (the answer is dropped).
    struct TooLarge: Error {}

    private struct State {
        var head: HTTPResponseHead?
        var body = ByteBuffer()
    }

    private let limit: Int
    private let state = Mutex(State())
    /// The executor's attempt this request is, marked as the request is written.
    private let stamp = SendStamp.current

    init(limit: Int) {
        self.limit = limit
    }

    func didSendRequestHead(task: HTTPClient.Task<CollectedAnswer>, _ head: HTTPRequestHead) {
        stamp?.mark()
    }

    /// How many bytes of the body had arrived, or nil while no head had.
    var received: Int? {
        state.withLock { $0.head == nil ? nil : $0.body.readableBytes }
    }

    func didReceiveHead(task: HTTPClient.Task<CollectedAnswer>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        let limit = limit
        let refused: Bool = state.withLock { state in
            state.head = head
            guard let length = RefactorClient.declaredLength(head.headers) else { return false }
            guard length <= limit else { return true }
            state.body.reserveCapacity(length)
            return false
        }
        return refused ? task.eventLoop.makeFailedFuture(TooLarge()) : task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<CollectedAnswer>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let limit = limit
        let refused: Bool = state.withLock { state in
            guard state.body.readableBytes + buffer.readableBytes <= limit else { return true }
            var buffer = buffer
            state.body.writeBuffer(&buffer)
            return false
        }
        return refused ? task.eventLoop.makeFailedFuture(TooLarge()) : task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<CollectedAnswer>) throws -> CollectedAnswer {
        try state.withLock { state in
            guard let head = state.head else { throw HTTPClientError.remoteConnectionClosed }
            return CollectedAnswer(version: head.version, status: Int(head.status.code), headers: head.headers, body: state.body)
        }
    }
}
