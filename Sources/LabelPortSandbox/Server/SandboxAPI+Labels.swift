import Hummingbird
import LabelPortCore
import NIOCore

extension SandboxAPI {
    /// What a handled call answers: a JSON value, or a run's labels (written as a stream).
    enum Answer {
        case json(JSONValue)
        /// The labels' ids in order, and the state (a copy-on-write copy) they are read from.
        case labels([String], SandboxState)
    }

    /// How many bytes of labels are gathered before they are written to the connection:
    /// large enough for few writes, small next to any run worth streaming.
    static let labelsBatch = 1 << 16

    /// A run's labels as one JSON array, written label by label from `state` in batches,
    /// so the answer is never held whole (nor the run copied), however big the run.
    static func labels(_ ids: [String], of state: SandboxState) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody { writer in
                let json = JSONWriter()
                var bytes: [UInt8] = [UInt8(ascii: "[")]
                bytes.reserveCapacity(labelsBatch + 4096)
                var first = true
                for id in ids {
                    guard let label = state.labels[id] else { continue }
                    if !first { bytes.append(UInt8(ascii: ",")) }
                    first = false
                    json.write(label.json, into: &bytes)
                    if bytes.count >= labelsBatch {
                        try await writer.write(ByteBuffer(bytes: bytes))
                        bytes.removeAll(keepingCapacity: true)
                    }
                }
                bytes.append(UInt8(ascii: "]"))
                try await writer.write(ByteBuffer(bytes: bytes))
                try await writer.finish(nil)
            })
    }
}
