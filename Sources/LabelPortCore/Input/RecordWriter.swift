/// Writes rejected rows back in the input's own format, so they can be fixed and re-run:
/// CSV with the input's header (once) and delimiter, or JSONL lines as they were read.
public struct RecordWriter: Sendable {
    public let format: InputFormat
    /// Settable, for a writer made before the input's header was read.
    public var header: [String]?
    private let csv: CSVWriter
    private var headerWritten = false

    public init(format: InputFormat, header: [String]?, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.format = format
        self.header = header
        self.csv = CSVWriter(delimiter: delimiter)
    }

    /// The writer matching what `input` has read so far (call after the first row).
    public init(for input: LabelInput) {
        self.init(format: input.format, header: input.header, delimiter: input.delimiter)
    }

    /// Appends `record`, after the CSV header the first time.
    public mutating func append(_ record: InputRecord, into out: inout [UInt8]) {
        switch record.content {
        case .cells(let cells):
            if !headerWritten, let header {
                csv.appendRow(header, into: &out)
            }
            headerWritten = true
            csv.appendRow(cells.fields, into: &out)
        case .text(let text):
            out.append(contentsOf: text.utf8)
            out.append(0x0A)
        }
    }

    /// Appends just the CSV header, for a rejects file with no rows (no-op for JSONL or if written).
    public mutating func appendHeader(into out: inout [UInt8]) {
        guard format != .jsonl, !headerWritten, let header else { return }
        csv.appendRow(header, into: &out)
        headerWritten = true
    }
}
