/// A record export writes as one row: its fields in one fixed column order, and the
/// order rows are sorted in.
package protocol ExportRecord: Sendable {
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
    package static func sortedForExport(_ records: [Self]) -> [Self] {
        records.sorted { $0.exportPrecedes($1) }
    }
}

/// Byte-wise (UTF-8) comparison of key tuples: the order does not depend on locale or
/// on Unicode normalisation.
@inline(__always)
func bytewisePrecedes(_ a: [String], _ b: [String]) -> Bool {
    for (x, y) in zip(a, b) {
        let order = bytewiseOrder(x, y)
        if order != 0 { return order < 0 }
    }
    return a.count < b.count
}

/// -1, 0 or 1 as `a` sorts before, equal to or after `b`, comparing UTF-8 bytes
/// (with `memcmp` on the strings' own storage when they have it).
@inline(__always)
func bytewiseOrder(_ a: String, _ b: String) -> Int {
    let fast: Int?? = a.utf8.withContiguousStorageIfAvailable { pa in
        b.utf8.withContiguousStorageIfAvailable { pb in
            let common = min(pa.count, pb.count)
            let order = common == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, common)
            if order != 0 { return order < 0 ? -1 : 1 }
            return pa.count == pb.count ? 0 : (pa.count < pb.count ? -1 : 1)
        }
    }
    if let fast, let order = fast { return order }
    return bytewiseOrderSlow(a, b)
}

private func bytewiseOrderSlow(_ a: String, _ b: String) -> Int {
    var a = a.utf8.makeIterator()
    var b = b.utf8.makeIterator()
    while true {
        switch (a.next(), b.next()) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?): if x != y { return x < y ? -1 : 1 }
        }
    }
}

extension GoldLabel: ExportRecord {
    package var exportFields: [JSONValue?] {
        [
            .string(runID), .string(outputResourceName), .string(id),
            textValue.map(JSONValue.string), objectValue.map(JSONValue.object), objectValueIsPartial.map(JSONValue.bool),
            .string(accountID), createdBy.map(JSONValue.string), .string(createdAt),
            updatedBy.map(JSONValue.string), updatedAt.map(JSONValue.string),
        ]
    }

    /// Ordered by (run_id, output_resource_name, id).
    package func exportPrecedes(_ other: GoldLabel) -> Bool {
        let byRun = bytewiseOrder(runID, other.runID)
        if byRun != 0 { return byRun < 0 }
        let byName = bytewiseOrder(outputResourceName, other.outputResourceName)
        if byName != 0 { return byName < 0 }
        return bytewiseOrder(id, other.id) < 0
    }
}

extension Evaluation: ExportRecord {
    package var exportFields: [JSONValue?] {
        [
            .string(runID), .string(id), outputName.map(JSONValue.string), fieldPath.map(JSONValue.string),
            .string(evaluationLabelID), .number(value), .string(accountID), createdBy.map(JSONValue.string),
            createdByEvaluatorID.map(JSONValue.string), .string(createdAt),
            updatedBy.map(JSONValue.string), updatedAt.map(JSONValue.string),
        ]
    }

    /// Ordered by (run_id, id).
    package func exportPrecedes(_ other: Evaluation) -> Bool {
        let byRun = bytewiseOrder(runID, other.runID)
        return byRun != 0 ? byRun < 0 : bytewiseOrder(id, other.id) < 0
    }
}
