import LabelPortCore
import Logging

/// The sandbox's log lines on stderr, as swift-log's stream handler writes them, but with
/// metadata formatted only when a line is logged: Hummingbird gives every request a logger
/// with its own request id, and the stream handler formatted the metadata each time it
/// was set (3% of the sandbox's CPU per request, for lines that are almost never logged).
struct SandboxLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    /// Where a line goes (stderr; tests catch it).
    var write: @Sendable ([UInt8]) -> Void = { Platform.writeAll(2, $0) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(Timestamp.now()) \(event.level) \(label):\(fields.isEmpty ? "" : " " + fields) \(event.message)\n"
        write(Array(line.utf8))
    }
}
