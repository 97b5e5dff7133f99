import NIOCore
import NIOTLS

/// One keep-alive HTTP/1.1 connection's state, on its event loop: when it is ready (TLS
/// handshake done), at most one request in flight, its response read by
/// ``HTTPResponseParser``, its timeout, and whether the connection can still carry a request.
final class HTTP1ConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// What a request ends with; ``notSent`` means nothing was written and another
    /// connection may carry it.
    enum Outcome {
        case response(HTTPResponseParser.Response)
        case failed(TransportFailure)
        case notSent
    }

    typealias Continuation = UnsafeContinuation<Outcome, Never>

    private struct InFlight {
        var id: UInt64
        var continuation: Continuation
        var deadline: NIODeadline
    }

    private var parser: HTTPResponseParser
    private let requestTimeout: TimeAmount
    private var context: ChannelHandlerContext?
    private var cumulation: ByteBuffer?
    private var inFlight: InFlight?
    /// The id of a request cancelled before it started here.
    private var cancelledID: UInt64 = 0
    private var closed = false
    /// One timer per connection, re-armed lazily: a request does not schedule (and cancel)
    /// a task of its own; when the timer fires before the current request's deadline, it is
    /// set again for that deadline.
    private var timer: Scheduled<Void>?
    /// Called once, on the event loop, when the connection closes.
    private let onClose: @Sendable () -> Void
    /// Waits for the TLS handshake; nil once settled (or for plain TCP).
    private var handshake: EventLoopPromise<Void>?
    /// The TLS handshake's time limit (the connect timeout); nil for plain TCP.
    private let handshakeTimeout: TimeAmount?

    init(maximumBodyBytes: Int, requestTimeout: TimeAmount, handshakeTimeout: TimeAmount?, onClose: @escaping @Sendable () -> Void) {
        self.parser = HTTPResponseParser(maximumBodyBytes: maximumBodyBytes)
        self.requestTimeout = requestTimeout
        self.handshakeTimeout = handshakeTimeout
        self.onClose = onClose
    }

    /// Succeeds once requests may be written: at once for plain TCP, after the TLS
    /// handshake (and certificate checks) otherwise. Valid after the handler is added.
    var ready: EventLoopFuture<Void> {
        guard let context else { preconditionFailure("ready before the handler was added") }
        return handshake?.futureResult ?? context.eventLoop.makeSucceededVoidFuture()
    }

    private func settleHandshake(_ error: (any Error)?) {
        guard let promise = handshake else { return }
        handshake = nil
        if let error { promise.fail(error) } else { promise.succeed() }
    }

    // MARK: Requests (called on the event loop)

    /// Writes `request` and resumes `continuation` with its outcome; when the connection
    /// has closed meanwhile, resumes with ``Outcome/notSent`` without writing anything.
    func start(id: UInt64, request: ByteBuffer, continuation: Continuation) {
        guard let context, !closed, context.channel.isActive, inFlight == nil else {
            continuation.resume(returning: .notSent)
            return
        }
        guard cancelledID != id else {
            continuation.resume(returning: .failed(.cancelled))
            return
        }
        let deadline = context.eventLoop.now + requestTimeout
        inFlight = InFlight(id: id, continuation: continuation, deadline: deadline)
        if timer == nil { armTimer(at: deadline, context.eventLoop) }
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    private func armTimer(at deadline: NIODeadline, _ eventLoop: any EventLoop) {
        timer = eventLoop.scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let current = inFlight, let context else { return }
            if context.eventLoop.now >= current.deadline {
                fail(id: current.id, .timeout)
            } else {
                armTimer(at: current.deadline, context.eventLoop)
            }
        }
    }

    /// Ends request `id` as cancelled (closing the connection, whose answer would
    /// otherwise arrive for the next request), or keeps it from starting.
    func cancel(id: UInt64) {
        if inFlight?.id == id {
            fail(id: id, .cancelled)
        } else {
            cancelledID = id
        }
    }

    private func fail(id: UInt64, _ failure: TransportFailure) {
        guard let current = inFlight, current.id == id else { return }
        inFlight = nil
        close()
        current.continuation.resume(returning: .failed(failure))
    }

    private func close() {
        guard !closed else { return }
        closed = true
        context?.close(promise: nil)
    }

    // MARK: Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if let handshakeTimeout {
            let promise = context.eventLoop.makePromise(of: Void.self)
            handshake = promise
            let timeout = context.eventLoop.scheduleTask(in: handshakeTimeout) { [self] in
                settleHandshake(ChannelError.connectTimeout(handshakeTimeout))
                close()
            }
            promise.futureResult.whenComplete { _ in timeout.cancel() }
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        settleHandshake(ChannelError.ioOnClosedChannel)
        self.context = nil
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event {
            settleHandshake(nil)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data)
        guard inFlight != nil else {
            // Bytes nobody asked for: the connection is out of step; never reuse it.
            close()
            return
        }
        if cumulation == nil {
            cumulation = bytes
        } else {
            var bytes = bytes
            cumulation!.writeBuffer(&bytes)
        }
        do throws(HTTPResponseParser.Failure) {
            guard let response = try parser.next(&cumulation!) else { return }
            if cumulation!.readableBytes == 0 {
                cumulation = nil
            } else {
                // An answer to a request not sent yet: out of step.
                cumulation = nil
                complete(response: response, keepAlive: false)
                return
            }
            complete(response: response, keepAlive: response.keepAlive)
        } catch {
            cumulation = nil
            switch error {
            case .bodyTooLarge(let limit): fail(id: inFlight!.id, .bodyTooLarge(limit: limit))
            case .malformed(let message): fail(id: inFlight!.id, .invalidResponse(message))
            }
        }
    }

    private func complete(response: HTTPResponseParser.Response, keepAlive: Bool) {
        guard let current = inFlight else { return }
        inFlight = nil
        var response = response
        if !keepAlive {
            response.keepAlive = false
            close()
        }
        current.continuation.resume(returning: .response(response))
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed = true
        timer?.cancel()
        timer = nil
        settleHandshake(ChannelError.ioOnClosedChannel)
        if let current = inFlight {
            let response: HTTPResponseParser.Response?
            do {
                response = try parser.endOfStream()
            } catch {
                response = nil
            }
            if let response {
                complete(response: response, keepAlive: false)
            } else {
                inFlight = nil
                current.continuation.resume(returning: .failed(.dropped(nil)))
            }
        }
        onClose()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if handshake != nil {
            // Before any request: a failed handshake or certificate check.
            settleHandshake(error)
            close()
        } else if let current = inFlight {
            // The request was written (or partly): its outcome is unknown.
            fail(id: current.id, .dropped(String(describing: error)))
        } else {
            close()
        }
    }
}
