/// An API error answer: a status and the `{"error": "..."}` message.
public struct SandboxHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public var status: Int
    public var message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String) -> SandboxHTTPError { SandboxHTTPError(400, message) }
    static func notFound(_ message: String) -> SandboxHTTPError { SandboxHTTPError(404, message) }
}
