/// The two row formats import reads and export writes.
public enum InputFormat: String, Sendable, CaseIterable {
    case csv
    case jsonl

    /// The format a file name implies: `.csv`/`.tsv` → CSV; `.jsonl`/`.ndjson`/`.json` → JSONL;
    /// nil for anything else (and for `-`, stdin), where the reader falls back to JSONL.
    public static func detect(path: String) -> InputFormat? {
        let lower = path.lowercased()
        for suffix in [".csv", ".tsv"] where lower.hasSuffix(suffix) { return .csv }
        for suffix in [".jsonl", ".ndjson", ".json"] where lower.hasSuffix(suffix) { return .jsonl }
        return nil
    }

    /// The default field delimiter for a path: tab for `.tsv`, else comma.
    public static func defaultDelimiter(path: String) -> UInt8 {
        path.lowercased().hasSuffix(".tsv") ? 0x09 : UInt8(ascii: ",")
    }
}
