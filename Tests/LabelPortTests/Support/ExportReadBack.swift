import Testing
import LabelPortCore

/// Reads an export file back through import's reader (``LabelInput``), for the import
/// half of export → import round trips: an exported file must read back as the same
/// labels, with no invalid row.
enum ExportReadBack {
    /// Every row of `path` as import reads it; records an issue for any invalid row.
    static func rows(path: String) throws -> [LabelRow] {
        var input = try LabelInput(path: path, options: LabelInputOptions())
        var rows: [LabelRow] = []
        while let item = input.next() {
            switch item {
            case .row(let row, _), .unchanged(let row, _, _): rows.append(row)
            case .invalid(_, let diagnostics, _): Issue.record("invalid row: \(diagnostics)")
            }
        }
        return rows
    }

    /// The file read back holds exactly `labels` (values compared by meaning, ids and
    /// names exactly), in export order.
    static func expectSameLabels(path: String, as labels: [GoldLabel], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let read = try rows(path: path).map {
            StoredLabel(runID: $0.runID, id: $0.id ?? "", outputResourceName: $0.outputResourceName,
                values: LabelValues(textValue: $0.textValue, objectValue: $0.objectValue, objectValueIsPartial: $0.objectValueIsPartial))
        }
        let expected = GoldLabel.sortedForExport(labels).map(StoredLabel.init)
        #expect(read == expected, sourceLocation: sourceLocation)
        let diff = LabelSetDiff(old: read, new: expected)
        #expect(diff.isEmpty, "\(diff.render(DiffRenderer(color: false)))", sourceLocation: sourceLocation)
    }
}
