/// A run and the id of one label or evaluation in it, as named in an ids file.
package struct RecordKey: Sendable, Hashable, CustomStringConvertible {
    package var runID: String
    package var id: String

    /// Normalizes both UUIDs to lower case so the same record is never fetched twice.
    package init(runID: String, id: String) {
        self.runID = UUIDText.normalized(runID)
        self.id = UUIDText.normalized(id)
    }

    package var description: String { "\(runID)/\(id)" }

    /// Byte-wise (run_id, id) order.
    package func precedes(_ other: RecordKey) -> Bool {
        bytewisePrecedes([runID, id], [other.runID, other.id])
    }
}
