import Hummingbird
import LabelPortCore
import Logging
import NIOCore

/// Builds the sandbox server for `configuration`, loading its seed or data file
/// (Hummingbird template style). Serving it does not write `--data`; run it through
/// ``SandboxServer`` for that, and to learn the port.
package func buildSandboxApplication(_ configuration: SandboxConfiguration) async throws -> some ApplicationProtocol {
    buildSandboxApplication(try Sandbox(configuration))
}

/// Builds the server around an existing ``Sandbox``. `onServerRunning` receives the
/// bound port once it listens.
package func buildSandboxApplication(
    _ sandbox: Sandbox, logger: Logger? = nil, onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = Router(context: SandboxRequestContext.self)
    router.add(middleware: SandboxErrorMiddleware())
    let api = SandboxAPI(sandbox: sandbox)
    for endpoint in SandboxEndpoint.allCases {
        router.on(RouterPath(endpoint.route), method: endpoint.method) { request, context in
            try await api.handle(endpoint, request, context)
        }
    }
    router.get("/_sandbox/stats") { _, _ in
        SandboxAPI.json(200, sandbox.stats.snapshot().json)
    }
    router.post("/_sandbox/stats/reset") { _, _ in
        sandbox.stats.reset()
        return SandboxAPI.json(200, sandbox.stats.snapshot().json)
    }
    let configuration = sandbox.configuration
    let latency = sandbox.faults.spec.latency, stats = sandbox.stats
    let handlers: @Sendable () -> [any RemovableChannelHandler] = {
        [RequestCounter(stats: stats)] + (latency > .zero ? [LatencyHandler(latency: latency)] : [])
    }
    return Application(
        router: router,
        server: .http1(configuration: .init(additionalChannelHandlers: handlers())),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "labelport-sandbox"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger ?? SandboxServer.logger(level: .info)
    )
}

/// Gives Hummingbird's own errors the API's `{"error": "..."}` body, and answers a
/// method the API does not have on one of its paths with 405 and `Allow`.
struct SandboxErrorMiddleware: RouterMiddleware {
    typealias Context = SandboxRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound, let allowed = SandboxEndpoint.allowedMethods(path: request.uri.path) {
                let allow = allowed.map(\.rawValue).joined(separator: ", ")
                var response = SandboxAPI.error(405, "method \(request.method.rawValue) not allowed; this path accepts \(allow)")
                response.headers[.allow] = allow
                return response
            }
            var response = SandboxAPI.error(Int(error.status.code), error.body ?? error.status.reasonPhrase)
            for field in error.headers { response.headers.append(field) }
            return response
        }
    }
}
