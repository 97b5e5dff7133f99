/// The file formats export writes (and dry-run reads back).
package enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    case jsonl
    /// A one-sheet Excel workbook.
    case xlsx

    /// The format a path's extension names (`.csv`, `.tsv`; `.jsonl`, `.ndjson`, `.json`;
    /// `.xlsx`), else nil. A `.tsv` file is CSV separated by tabs
    /// (``InputFormat/defaultDelimiter(path:)``).
    package static func detect(path: String) -> ExportFormat? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        switch path[path.index(after: dot)...].lowercased() {
        case "csv", "tsv": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        case "xlsx": return .xlsx
        default: return nil
        }
    }
}
