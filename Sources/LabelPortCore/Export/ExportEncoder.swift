/// Turns records into the bytes of an export file: byte-stable, so the same records
/// always give the same bytes.
///
/// - JSONL: one object per line, keys in ``ExportRecord/fieldNames`` order, absent
///   fields left out, nested object keys sorted byte-wise, numbers exactly as sent.
/// - CSV: a header row of ``ExportRecord/fieldNames``, then one row per record; an object
///   is its canonical JSON text in one cell, booleans `true` / `false`, absent empty.
///   With `excel`, a UTF-8 byte order mark first and CRLF line ends; cells separated by
///   `delimiter` (a tab for a `.tsv` file).
/// - xlsx: one sheet (``XlsxWriter``), the columns of CSV, typed cells.
/// - `flatten` (CSV and xlsx): `object_value` spread over `object_value.KEY` columns
///   (``FlattenedLayout``).
///
/// CSV and JSONL stream (``header()``, then ``append(_:into:)`` per record); xlsx and
/// flattened files need every record first (``writeDocument(_:write:)``).
package struct ExportEncoder<Record: ExportRecord>: Sendable {
    package var format: ExportFormat
    package var excel: Bool
    package var flatten: Bool
    /// The xlsx sheet's name.
    package var sheetName: String
    private let csv: CSVWriter
    private let json = JSONWriter(keyOrder: .sorted)
    /// `"name":` for each column, encoded once.
    private let keyPrefixes: [[UInt8]]

    package init(
        format: ExportFormat, excel: Bool = false, flatten: Bool = false, sheetName: String = "Sheet1", delimiter: UInt8 = UInt8(ascii: ",")
    ) {
        self.format = format
        self.excel = excel && format == .csv
        self.flatten = flatten && format != .jsonl
        self.sheetName = sheetName
        self.csv = CSVWriter(delimiter: delimiter, crlf: self.excel)
        self.keyPrefixes = Record.fieldNames.map { name in
            var bytes: [UInt8] = []
            JSONWriter.writeString(name, into: &bytes)
            bytes.append(UInt8(ascii: ":"))
            return bytes
        }
    }

    /// What the file starts with: the CSV header (after the BOM for Excel); nothing for JSONL.
    package func header() -> [UInt8] {
        guard format == .csv, !flatten else { return [] }
        var out: [UInt8] = excel ? UTF8Validation.byteOrderMark : []
        csv.appendRow(Record.fieldNames, into: &out)
        return out
    }

    /// True when the file can only be written once every record is known.
    package var needsAllRecords: Bool { format == .xlsx || flatten }

    /// Writes a whole file of `records` (already in export order). Returns, for xlsx, the
    /// cells too long for a spreadsheet (written whole; the caller warns).
    @discardableResult
    package func writeDocument(_ records: some Collection<Record>, write: ([UInt8]) throws -> Void) throws -> XlsxWriter.LongCells? {
        guard needsAllRecords else {
            try write(header())
            try write(rows(records))
            return nil
        }
        let table = ExportTable(records: records, flatten: flatten)
        if format == .xlsx {
            return try XlsxWriter(sheetName: sheetName).write(header: table.header, rows: records.lazy.map(table.cells), to: write)
        }
        var out: [UInt8] = excel ? UTF8Validation.byteOrderMark : []
        csv.appendRow(table.header, into: &out)
        for record in records {
            csv.appendRow(table.cells(record).map { $0?.csvText ?? "" }, into: &out)
            if out.count >= 1 << 20 {
                try write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try write(out)
        return nil
    }

    package func append(_ record: Record, into out: inout [UInt8]) {
        let fields = record.exportFields
        switch format {
        case .jsonl:
            appendLine(into: &out) { index, out in
                guard let value = fields[index], !value.isNull else { return false }
                json.write(value, into: &out)
                return true
            }
        case .csv, .xlsx:  // xlsx files are written whole (writeDocument); a row here is CSV
            csv.appendRow(fields.map(cell), into: &out)
        }
    }

    /// One JSONL line: `{`, each field the record has as `"name":value` in
    /// ``ExportRecord/fieldNames`` order, `}` and a newline. `value` appends the canonical
    /// text of field `index` and returns true, or returns false (appending nothing) when
    /// the record has none.
    package func appendLine(into out: inout [UInt8], value: (_ index: Int, _ out: inout [UInt8]) -> Bool) {
        out.append(UInt8(ascii: "{"))
        var first = true
        for index in keyPrefixes.indices {
            let mark = out.count
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: keyPrefixes[index])
            if value(index, &out) {
                first = false
            } else {
                out.removeLast(out.count - mark)
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    /// Encodes `records` (already in export order) after nothing: rows only, no header.
    package func rows(_ records: some Sequence<Record>) -> [UInt8] {
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
