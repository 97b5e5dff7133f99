import Hummingbird
import NIOCore
import LabelPortCore
import Logging

/// A sandbox that is listening: where to reach it and its state and counters.
package struct RunningSandbox: Sendable {
    package let sandbox: Sandbox
    package let host: String
    package let port: Int

    /// `http://HOST:PORT`, the base URL to give the client (a wildcard host is
    /// reached through loopback).
    package var baseURL: String {
        switch host {
        case "0.0.0.0", "": "http://127.0.0.1:\(port)"
        case "::": "http://[::1]:\(port)"
        default: host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
        }
    }

    package var stats: SandboxStatsSnapshot { sandbox.stats.snapshot() }
}

/// Runs a sandbox server with its `--data` flushing.
package enum SandboxServer {
    /// Starts the sandbox (use port 0 for a free port), runs `body` while it listens,
    /// then stops it and writes `--data` one last time. For tests and tools:
    ///
    ///     try await SandboxServer.withRunning(config) { sandbox in
    ///         // talk to sandbox.baseURL
    ///     }
    package static func withRunning<Result>(
        _ configuration: SandboxConfiguration, logger: Logger? = nil,
        _ body: (RunningSandbox) async throws -> Result
    ) async throws -> Result {
        let sandbox = try Sandbox(configuration)
        let logger = logger ?? Self.quietLogger()
        let (ports, continuation) = AsyncThrowingStream<Int, any Error>.makeStream()
        let app = buildSandboxApplication(sandbox, logger: logger) { port in continuation.yield(port) }
        let outcome: Swift.Result<Result, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await app.run()
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            group.addTask { await sandbox.runFlushLoop(logger: logger) }
            let outcome: Swift.Result<Result, any Error>
            do {
                var iterator = ports.makeAsyncIterator()
                guard let port = try await iterator.next() else {
                    throw SandboxConfigurationError("the sandbox stopped before it listened")
                }
                outcome = .success(try await body(RunningSandbox(sandbox: sandbox, host: configuration.host, port: port)))
            } catch {
                outcome = .failure(error)
            }
            group.cancelAll()
            await group.waitForAll()
            return outcome
        }
        try sandbox.flush()
        return try outcome.get()
    }

    /// Runs the sandbox until SIGINT or SIGTERM, then shuts down gracefully (in-flight
    /// requests finish) and writes `--data`. `onListening` is called once it listens.
    package static func run(
        _ configuration: SandboxConfiguration, logger: Logger,
        onListening: @escaping @Sendable (RunningSandbox) async -> Void
    ) async throws {
        let sandbox = try Sandbox(configuration)
        let app = buildSandboxApplication(sandbox, logger: logger) { port in
            await onListening(RunningSandbox(sandbox: sandbox, host: configuration.host, port: port))
        }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await sandbox.runFlushLoop(logger: logger) }
                try await app.runService()
                group.cancelAll()
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw SandboxListenError(
                "port \(configuration.port) is in use on \(configuration.host); pass --port 0 to pick a free one")
        } catch let error as IOError where error.errnoCode == EADDRNOTAVAIL {
            throw SandboxListenError("cannot listen on \(configuration.host): no network interface has that address")
        } catch is SocketAddressError.UnknownHost {
            throw SandboxListenError("cannot listen on \(configuration.host): no such host name or address")
        }
        try sandbox.flush()
    }

    /// Stopping by cancellation makes Hummingbird log "Waiting on child channel:
    /// CancellationError()" as an error; embedded sandboxes keep quiet below critical.
    static func quietLogger() -> Logger {
        logger(level: .critical)
    }

    /// The sandbox's logger, at `level` and above (see ``SandboxLogHandler``).
    package static func logger(level: Logger.Level) -> Logger {
        Logger(label: "labelport.sandbox") { SandboxLogHandler(label: $0, logLevel: level) }
    }
}
