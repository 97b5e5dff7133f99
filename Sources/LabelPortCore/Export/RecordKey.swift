/// A run and the id of one label or evaluation in it, as named in an ids file.
public struct RecordKey: Sendable, Hashable, CustomStringConvertible {
    public var runID: String
    public var id: String

    /// Normalizes both UUIDs to lower case so the same record is never fetched twice.
    public init(runID: String, id: String) {
        self.runID = UUIDText.normalized(runID)
        self.id = UUIDText.normalized(id)
    }

    public var description: String { "\(runID)/\(id)" }

    /// Byte-wise (run_id, id) order.
    public func precedes(_ other: RecordKey) -> Bool {
        bytewisePrecedes([runID, id], [other.runID, other.id])
    }
}
