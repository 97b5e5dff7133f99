/// Why an import stopped before its rows were applied.
public struct ImportAbort: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
