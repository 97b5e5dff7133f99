/// The row formats import reads and export writes.
package enum InputFormat: String, Sendable, CaseIterable {
    case csv
    case jsonl
    /// An Excel workbook's sheet (recognised by its bytes, whatever its name).
    case xlsx

    /// The format a file name implies: `.csv`/`.tsv` → CSV; `.jsonl`/`.ndjson`/`.json` → JSONL;
    /// `.xlsx`/`.xlsm` → xlsx; nil for anything else (and for `-`, stdin), where the reader falls back to JSONL.
    package static func detect(path: String) -> InputFormat? {
        let lower = path.lowercased()
        for suffix in [".csv", ".tsv"] where lower.hasSuffix(suffix) { return .csv }
        for suffix in [".jsonl", ".ndjson", ".json"] where lower.hasSuffix(suffix) { return .jsonl }
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") { return .xlsx }
        return nil
    }

    /// The default field delimiter for a path: tab for `.tsv`, else comma.
    package static func defaultDelimiter(path: String) -> UInt8 {
        path.lowercased().hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ",")
    }
}
