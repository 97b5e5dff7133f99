/// Turns records into the bytes of an export file: byte-stable, so the same records
/// always give the same bytes.
///
/// - JSONL: one object per line, keys in ``ExportRecord/fieldNames`` order, absent
///   fields left out, nested object keys sorted byte-wise, numbers exactly as sent.
/// - CSV: a header row of ``ExportRecord/fieldNames``, then one row per record; an object
///   is its canonical JSON text in one cell, booleans `true` / `false`, absent empty.
///   With `excel`, a UTF-8 byte order mark first and CRLF line ends.
public struct ExportEncoder<Record: ExportRecord>: Sendable {
    public var format: ExportFormat
    public var excel: Bool
    private let csv: CSVWriter
    private let json = JSONWriter(keyOrder: .sorted)
    /// `"name":` for each column, encoded once.
    private let keyPrefixes: [[UInt8]]

    public init(format: ExportFormat, excel: Bool = false) {
        self.format = format
        self.excel = excel && format == .csv
        self.csv = CSVWriter(crlf: self.excel)
        self.keyPrefixes = Record.fieldNames.map { name in
            var bytes: [UInt8] = []
            JSONWriter.writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
    }

    /// What the file starts with: the CSV header (after the BOM for Excel); nothing for JSONL.
    public func header() -> [UInt8] {
        guard format == .csv else { return [] }
        var out: [UInt8] = excel ? CSVWriter.byteOrderMark : []
        csv.appendRow(Record.fieldNames, into: &out)
        return out
    }

    public func append(_ record: Record, into out: inout [UInt8]) {
        let fields = record.exportFields
        switch format {
        case .jsonl:
            out.append(UInt8(ascii: "{"))
            var first = true
            for (index, value) in fields.enumerated() {
                guard let value, !value.isNull else { continue }
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                out.append(contentsOf: keyPrefixes[index])
                json.write(value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
            out.append(0x0A)
        case .csv:
            csv.appendRow(fields.map(cell), into: &out)
        }
    }

    /// Encodes `records` (already in export order) after nothing: rows only, no header.
    public func rows(_ records: some Sequence<Record>) -> [UInt8] {
        var out: [UInt8] = []
        for record in records { append(record, into: &out) }
        return out
    }

    private func cell(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: ""
        case .string(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        case .number(let number)?: number.literal
        case let value?: json.string(value)
        }
    }
}
