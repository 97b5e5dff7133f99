import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Keep-alive HTTP/1.1 connections to one endpoint: at most `maximumConnections` open
/// at once (counted from the start of connecting to the close of the socket), each
/// carrying one request at a time; no pipelining. Callers beyond that wait their turn.
///
/// Connections live on several event loops. A caller running on one of them gets a
/// connection of that loop when one is idle, and a new connection is opened there: its
/// request is written and its answer read on the caller's own thread.
final class HTTP1ConnectionPool: Sendable {
    struct Settings: Sendable {
        var endpoint: HTTPEndpoint
        var maximumConnections: Int
        var connectTimeout: TimeAmount
        var requestTimeout: TimeAmount
        var maximumResponseBytes: Int
        /// Set for https: SNI and hostname verification against these trust roots.
        var tls: NIOSSLContext?
    }

    struct Connection: Sendable {
        let id: Int
        /// The index of its event loop in ``HTTP1ConnectionPool/loops``.
        let loop: Int
        let channel: any Channel
        let handler: NIOLoopBound<HTTP1ConnectionHandler>
    }

    private enum Lease {
        case connection(Connection)
        case connect(id: Int)
        case failed(TransportFailure)
    }

    private struct State {
        /// Idle connections by the index of their event loop.
        var idle: [[Connection]]
        /// Every open connection, leased or idle, for shutdown.
        var open: [Int: any Channel] = [:]
        var connecting = 0
        var waiters = CircularBuffer<UnsafeContinuation<Lease, Never>>()
        var nextID = 0
        var isShutdown = false

        init(loops: Int) {
            idle = Array(repeating: [], count: loops)
        }

        /// A lease for a caller on event loop `loop` (nil: on none of the pool's), or nil
        /// when it must wait. A caller on a loop takes an idle connection of that loop,
        /// else opens one there while under the limit; then any idle connection will do.
        mutating func lease(limit: Int, loop: Int?) -> Lease? {
            if isShutdown { return .failed(.connectFailed("the client was shut down")) }
            if let loop {
                if let connection = idle[loop].popLast() { return .connection(connection) }
                if open.count + connecting < limit { return startConnecting() }
            }
            for index in idle.indices {
                if let connection = idle[index].popLast() { return .connection(connection) }
            }
            if open.count + connecting < limit { return startConnecting() }
            return nil
        }

        mutating func startConnecting() -> Lease {
            connecting += 1
            nextID += 1
            return .connect(id: nextID)
        }

        mutating func removeIdle(id: Int) {
            for index in idle.indices { idle[index].removeAll { $0.id == id } }
        }

        /// A slot came free: the first waiter may open a connection.
        mutating func slotFreed() -> (UnsafeContinuation<Lease, Never>, Lease)? {
            guard let waiter = waiters.popFirst() else { return nil }
            return (waiter, isShutdown ? .failed(.connectFailed("the client was shut down")) : startConnecting())
        }
    }

    let settings: Settings
    /// The event loops connections are opened on.
    let loops: [any EventLoop]
    private let state: Mutex<State>
    private let requestIDs = Atomic<UInt64>(0)
    /// Picks the loop for a connection opened by a caller on none of them.
    private let nextLoop = Atomic<Int>(0)

    init(settings: Settings, loops: [any EventLoop]) {
        precondition(!loops.isEmpty)
        self.settings = settings
        self.loops = loops
        self.state = Mutex(State(loops: loops.count))
    }

    /// The index of the pool's event loop the caller runs on, if any.
    private var currentLoop: Int? {
        loops.count == 1 ? (loops[0].inEventLoop ? 0 : nil) : loops.firstIndex { $0.inEventLoop }
    }

    /// Sends `request` on a pooled connection and returns the response. A connection
    /// found closed before anything was written is replaced, not reported.
    func execute(_ request: ByteBuffer) async -> Result<HTTPResponseParser.Response, TransportFailure> {
        var replaced = 0
        while true {
            if Task.isCancelled { return .failure(.cancelled) }
            let connection: Connection
            switch await lease() {
            case .success(let leased): connection = leased
            case .failure(let failure): return .failure(failure)
            }
            switch await send(request, on: connection) {
            case .response(let response):
                release(connection, reusable: response.keepAlive)
                return .success(response)
            case .failed(let failure):
                release(connection, reusable: false)
                return .failure(failure)
            case .notSent:
                release(connection, reusable: false)
                replaced += 1
                if replaced > settings.maximumConnections + 1 {
                    return .failure(.connectFailed("every connection closed before the request could be sent"))
                }
            }
        }
    }

    private func send(_ request: ByteBuffer, on connection: Connection) async -> HTTP1ConnectionHandler.Outcome {
        let id = requestIDs.add(1, ordering: .relaxed).newValue
        let loop = connection.channel.eventLoop
        let handler = connection.handler
        return await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: HTTP1ConnectionHandler.Continuation) in
                if loop.inEventLoop {
                    handler.value.start(id: id, request: request, continuation: continuation)
                } else {
                    loop.execute { handler.value.start(id: id, request: request, continuation: continuation) }
                }
            }
        } onCancel: {
            loop.execute { handler.value.cancel(id: id) }
        }
    }

    // MARK: Leasing

    private func lease() async -> Result<Connection, TransportFailure> {
        let limit = settings.maximumConnections
        let loop = currentLoop
        var lease = state.withLock { $0.lease(limit: limit, loop: loop) }
        if lease == nil {
            lease = await withUnsafeContinuation { (continuation: UnsafeContinuation<Lease, Never>) in
                let now = state.withLock { state -> Lease? in
                    let now = state.lease(limit: limit, loop: loop)
                    if now == nil { state.waiters.append(continuation) }
                    return now
                }
                if let now { continuation.resume(returning: now) }
            }
        }
        switch lease! {
        case .connection(let connection): return .success(connection)
        case .failed(let failure): return .failure(failure)
        case .connect(let id):
            // On the caller's loop; a caller on none of them spreads its connections.
            let index = loop ?? nextLoop.add(1, ordering: .relaxed).oldValue % loops.count
            return await connect(id: id, loop: index)
        }
    }

    private func release(_ connection: Connection, reusable: Bool) {
        guard reusable else {
            // The slot frees when the socket has closed (``closed(id:)``).
            connection.channel.close(promise: nil)
            return
        }
        let waiter = state.withLock { state -> UnsafeContinuation<Lease, Never>? in
            if state.isShutdown { return nil }
            if let waiter = state.waiters.popFirst() { return waiter }
            state.idle[connection.loop].append(connection)
            return nil
        }
        if let waiter {
            waiter.resume(returning: .connection(connection))
        } else if state.withLock({ $0.isShutdown }) {
            connection.channel.close(promise: nil)
        }
    }

    /// Called on the event loop when connection `id`'s socket has closed.
    private func closed(id: Int) {
        let next = state.withLock { state -> (UnsafeContinuation<Lease, Never>, Lease)? in
            guard state.open.removeValue(forKey: id) != nil else { return nil }
            state.removeIdle(id: id)
            return state.slotFreed()
        }
        if let (waiter, lease) = next { waiter.resume(returning: lease) }
    }

    private func connect(id: Int, loop: Int) async -> Result<Connection, TransportFailure> {
        let settings = settings
        let bootstrap = ClientBootstrap(group: loops[loop])
            .connectTimeout(settings.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls = settings.tls {
                        // SNI carries host names only; an IP literal is checked against the peer's address.
                        let host = settings.endpoint.host
                        let name = (try? SocketAddress(ipAddress: host, port: 0)) == nil ? host : nil
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: name))
                    }
                    let handler = HTTP1ConnectionHandler(
                        maximumBodyBytes: settings.maximumResponseBytes, requestTimeout: settings.requestTimeout,
                        handshakeTimeout: settings.tls == nil ? nil : settings.connectTimeout, onClose: { [weak self] in self?.closed(id: id) })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
        let connected = bootstrap.connect(host: settings.endpoint.host, port: settings.endpoint.port).flatMap { channel in
            // The TLS handshake is part of connecting: a request is written only after it.
            do {
                let handler = try channel.pipeline.syncOperations.handler(type: HTTP1ConnectionHandler.self)
                let bound = NIOLoopBound(handler, eventLoop: channel.eventLoop)
                return handler.ready.map { Connection(id: id, loop: loop, channel: channel, handler: bound) }.flatMapErrorThrowing { error in
                    channel.close(promise: nil)
                    throw error
                }
            } catch {
                channel.close(promise: nil)
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        let registered = connected.map { [self] connection in
            // On the channel's event loop, so ordered with its `closed(id:)`.
            let channel = connection.channel
            let next = state.withLock { state -> (UnsafeContinuation<Lease, Never>, Lease)? in
                state.connecting -= 1
                if channel.isActive && !state.isShutdown {
                    state.open[id] = channel
                    return nil
                }
                return state.slotFreed()
            }
            if let (waiter, lease) = next { waiter.resume(returning: lease) }
            return connection
        }
        do {
            return .success(try await registered.get())
        } catch {
            let next = state.withLock { state -> (UnsafeContinuation<Lease, Never>, Lease)? in
                state.connecting -= 1
                return state.slotFreed()
            }
            if let (waiter, lease) = next { waiter.resume(returning: lease) }
            return .failure(.connectFailed(Self.describe(error)))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            let causes = error.connectionErrors.map { "\($0.target): \($0.error)" }
            if causes.isEmpty, let dnsError = error.dnsAAAAError ?? error.dnsAError { return "cannot resolve \(error.host): \(dnsError)" }
            return causes.isEmpty ? "cannot connect to \(error.host):\(error.port)" : causes.joined(separator: "; ")
        }
        return String(describing: error)
    }

    // MARK: Shutdown

    /// Closes every connection; later requests fail as `connectFailed`.
    func shutdown() async {
        let (channels, waiters) = state.withLock { state in
            state.isShutdown = true
            state.idle = Array(repeating: [], count: state.idle.count)
            let waiters = Array(state.waiters)
            state.waiters.removeAll()
            return (Array(state.open.values), waiters)
        }
        for waiter in waiters { waiter.resume(returning: .failed(.connectFailed("the client was shut down"))) }
        // All at once: a TLS close waits for the server's close_notify.
        let closes = channels.map { $0.close() }
        for close in closes { try? await close.get() }
    }

    /// Connections open now (leased or idle): for tests of the limit.
    var openConnections: Int { state.withLock { $0.open.count + $0.connecting } }

    /// Idle connections on each event loop: for tests of where connections live.
    var idleConnectionsByLoop: [Int] { state.withLock { $0.idle.map(\.count) } }
}
