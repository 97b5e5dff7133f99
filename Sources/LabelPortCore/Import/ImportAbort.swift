/// Why an import stopped before its rows were applied.
package struct ImportAbort: Error, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
