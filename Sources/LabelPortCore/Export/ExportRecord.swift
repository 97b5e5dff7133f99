/// A record export writes as one row: its fields in one fixed column order, and the
/// order rows are sorted in.
public protocol ExportRecord: Sendable {
    /// Column names (CSV header) and JSON keys, in the order they are written.
    static var fieldNames: [String] { get }
    /// The values in ``fieldNames`` order; `nil` is absent (an empty CSV cell, a key
    /// left out of the JSON line).
    var exportFields: [JSONValue?] { get }
    /// True when `self` sorts before `other` in an export file.
    func exportPrecedes(_ other: Self) -> Bool
}

extension ExportRecord {
    /// Sorts records into export order.
    public static func sortedForExport(_ records: [Self]) -> [Self] {
        records.sorted { $0.exportPrecedes($1) }
    }
}

/// Byte-wise (UTF-8) comparison of key tuples: the order does not depend on locale or
/// on Unicode normalisation.
@inline(__always)
func bytewisePrecedes(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) {
        if x.utf8.elementsEqual(y.utf8) { continue }
        return x.utf8.lexicographicallyPrecedes(y.utf8)
    }
    return a.count < b.count
}

extension GoldLabel: ExportRecord {
    public var exportFields: [JSONValue?] {
        [
            .string(runID), .string(outputResourceName), .string(id),
            textValue.map(JSONValue.string), objectValue.map(JSONValue.object), objectValueIsPartial.map(JSONValue.bool),
            .string(accountID), createdBy.map(JSONValue.string), .string(createdAt),
            updatedBy.map(JSONValue.string), updatedAt.map(JSONValue.string),
        ]
    }

    /// Ordered by (run_id, output_resource_name, id).
    public func exportPrecedes(_ other: GoldLabel) -> Bool {
        bytewisePrecedes([runID, outputResourceName, id], [other.runID, other.outputResourceName, other.id])
    }
}

extension Evaluation: ExportRecord {
    public var exportFields: [JSONValue?] {
        [
            .string(runID), .string(id), outputName.map(JSONValue.string), fieldPath.map(JSONValue.string),
            .string(evaluationLabelID), .number(value), .string(accountID), createdBy.map(JSONValue.string),
            createdByEvaluatorID.map(JSONValue.string), .string(createdAt),
            updatedBy.map(JSONValue.string), updatedAt.map(JSONValue.string),
        ]
    }

    /// Ordered by (run_id, id).
    public func exportPrecedes(_ other: Evaluation) -> Bool {
        bytewisePrecedes([runID, id], [other.runID, other.id])
    }
}
