/// Writes rejected rows back in the input's own format, so they can be fixed and re-run:
/// CSV with the input's header (once) and delimiter, or JSONL lines as they were read.
package struct RecordWriter: Sendable {
    package let format: InputFormat
    /// Settable, for a writer made before the input's header was read.
    package var header: [String]?
    private let csv: CSVWriter
    /// Start the file with a UTF-8 byte order mark, as the input did.
    private let byteOrderMark: Bool
    /// End JSONL lines with CRLF, as the input did (CSV: ``CSVWriter``'s).
    private let crlf: Bool
    /// The sheet an xlsx input was read from: a rejects workbook's sheet is named so.
    package var sheetName: String?
    private var headerWritten = false

    package init(format: InputFormat, header: [String]?, delimiter: UInt8 = UInt8(ascii: ","), byteOrderMark: Bool = false, crlf: Bool = false) {
        self.format = format
        self.header = header
        self.csv = CSVWriter(delimiter: delimiter, crlf: crlf)
        self.byteOrderMark = byteOrderMark
        self.crlf = crlf
    }

    /// The writer matching what `input` has read so far (call after the first row): its
    /// header, delimiter, byte order mark and line ends.
    package init(for input: LabelInput) {
        self.init(
            format: input.format, header: input.header, delimiter: input.delimiter,
            byteOrderMark: input.hadByteOrderMark, crlf: input.crlf)
        sheetName = input.sheetName
    }

    /// A rejected sheet row's cell for a workbook, typed as the sheet most likely had it:
    /// text that is a number's own spelling (`42`, `0.5`) a number cell, `true`/`false` a
    /// boolean, anything else text, an empty cell none. Each reads back as the same text
    /// (``XlsxSheetReader`` spells number and boolean cells so), so a fixed row imports as
    /// it would have.
    package static func workbookCell(_ text: String) -> ExportCell? {
        if text.isEmpty { return nil }
        if text == "true" || text == "false" { return .bool(text == "true") }
        if let first = text.utf8.first, first == UInt8(ascii: "-") || (first >= UInt8(ascii: "0") && first <= UInt8(ascii: "9")),
            let number = JSONNumber(text), XlsxSheetXML.numericText(number) == text
        {
            return .number(number)
        }
        return .text(text)
    }

    /// Appends `record`, after the CSV header the first time.
    package mutating func append(_ record: InputRecord, into out: inout [UInt8]) {
        switch record.content {
        case .cells(let cells):
            if !headerWritten, let header {
                if byteOrderMark { out.append(contentsOf: UTF8Validation.byteOrderMark) }
                csv.appendRow(header, into: &out)
            }
            headerWritten = true
            csv.appendRow(cells.fields, into: &out)
        case .text(let text):
            if !headerWritten && byteOrderMark { out.append(contentsOf: UTF8Validation.byteOrderMark) }
            headerWritten = true
            out.append(contentsOf: text.utf8)
            if crlf { out.append(0x0D) }
            out.append(0x0A)
        }
    }

    /// Appends just the CSV header, for a rejects file with no rows (no-op for JSONL or if written).
    package mutating func appendHeader(into out: inout [UInt8]) {
        guard format != .jsonl, !headerWritten, let header else { return }
        if byteOrderMark { out.append(contentsOf: UTF8Validation.byteOrderMark) }
        csv.appendRow(header, into: &out)
        headerWritten = true
    }
}
