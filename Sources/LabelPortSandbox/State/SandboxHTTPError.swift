/// An API error answer: a status and the `{"error": "..."}` message.
package struct SandboxHTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    package var status: Int
    package var message: String

    package init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    package var description: String { "\(status): \(message)" }

    static func badRequest(_ message: String) -> SandboxHTTPError { SandboxHTTPError(400, message) }
    static func notFound(_ message: String) -> SandboxHTTPError { SandboxHTTPError(404, message) }
}
