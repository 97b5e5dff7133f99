import LabelPortCore

/// The `--rejects` file: rows in the input's own format, header first for CSV; for an
/// xlsx input named `.xlsx`, a workbook (the input's header and sheet name, the rows'
/// cells typed as ``RecordWriter/workbookCell(_:)`` reads them). Text is written as rows
/// finish; a workbook is kept and written whole when the file closes (it cannot be read
/// before its end). Used under the lock of one ``RowFiles``.
final class RejectsFile {
    private enum Destination {
        /// CSV or JSONL, written as rows finish.
        case text(BufferedFileWriter)
        /// A workbook's rows, until ``close()``.
        case workbook([[ExportCell?]])
        case closed
    }

    private var writer: RecordWriter
    private let path: String
    private var destination: Destination

    /// Whether rejected rows of an input in `format` go to `path` as a workbook.
    static func isWorkbook(_ path: String, format: InputFormat) -> Bool {
        format == .xlsx && path.lowercased().hasSuffix(".xlsx")
    }

    /// Writes the CSV header at once, so a rejects file with no rows is still a valid
    /// (empty) input, not a CSV without a header.
    init(path: String, writer: RecordWriter) throws(FileError) {
        self.writer = writer
        self.path = path
        if Self.isWorkbook(path, format: writer.format) {
            destination = .workbook([])
            return
        }
        let file = try BufferedFileWriter(path: path)
        destination = .text(file)
        var header: [UInt8] = []
        self.writer.appendHeader(into: &header)
        try file.write(header)
    }

    func write(_ record: InputRecord) throws(FileError) {
        switch destination {
        case .text(let file):
            var out: [UInt8] = []
            writer.append(record, into: &out)
            try file.write(out)
        case .workbook(var rows):
            guard case .cells(let cells) = record.content else { return }
            destination = .closed  // the rows are not copied while one is added
            rows.append(cells.fields.map(RecordWriter.workbookCell))
            destination = .workbook(rows)
        case .closed:
            return
        }
    }

    func flush() throws(FileError) {
        if case .text(let file) = destination { try file.flush() }
    }

    /// Closes the text file, or writes the workbook whole (in place of the file at `path`
    /// only once complete).
    func close() throws(FileError) {
        let closing = destination
        destination = .closed
        switch closing {
        case .text(let file):
            try file.close()
        case .workbook(let rows):
            let out = try AtomicFileWriter(path: path)
            do {
                try XlsxWriter(sheetName: writer.sheetName ?? "rejects").write(header: writer.header ?? [], rows: rows) { try out.write($0) }
            } catch let error as FileError {
                out.abort()
                throw error
            } catch {
                out.abort()
                throw FileError(path: path, reason: "\(error)")
            }
            try out.commit()
        case .closed:
            return
        }
    }
}
