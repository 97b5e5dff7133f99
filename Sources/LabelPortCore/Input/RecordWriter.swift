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
