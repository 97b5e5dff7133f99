/// A gold label as a dry-run compares it: where it is, its name, and its values;
/// from the server (``GoldLabel``) or from a row of an export file.
package struct StoredLabel: Sendable, Equatable {
    package var runID: String
    package var id: String
    package var outputResourceName: String
    package var values: LabelValues

    package init(runID: String, id: String, outputResourceName: String, values: LabelValues) {
        self.runID = UUIDText.normalized(runID)
        self.id = UUIDText.normalized(id)
        self.outputResourceName = outputResourceName
        self.values = values
    }

    package init(_ label: GoldLabel) {
        self.init(runID: label.runID, id: label.id, outputResourceName: label.outputResourceName, values: LabelValues(label))
    }

    /// Byte-wise (run_id, output_resource_name, id): export order.
    func precedes(_ other: StoredLabel) -> Bool {
        bytewisePrecedes([runID, outputResourceName, id], [other.runID, other.outputResourceName, other.id])
    }
}
