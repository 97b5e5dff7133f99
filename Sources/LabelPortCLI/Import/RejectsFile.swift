import LabelPortCore

/// The `--rejects` file: rows in the input's own format, header first for CSV; for an
/// xlsx input named `.xlsx`, a workbook (the input's header and sheet name, the rows'
/// cells typed as ``RecordWriter/workbookCell(_:)`` reads them). Text is written as rows
/// finish; a workbook is kept and written whole when the file closes (it cannot be read
/// before its end). Used under the lock of one ``RowFiles``.
final class RejectsFile {
    private var writer: RecordWriter
    private var wroteHeader = false
    private let path: String
    private let file: BufferedFileWriter?
    /// A workbook's rows, until ``close()``.
    private var sheetRows: [[ExportCell?]]?

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
            file = nil
            sheetRows = []
            return
        }
        let file = try BufferedFileWriter(path: path)
        self.file = file
        var header: [UInt8] = []
        self.writer.appendHeader(into: &header)
        wroteHeader = true
        try file.write(header)
    }

    func write(_ record: InputRecord) throws(FileError) {
        if sheetRows != nil {
            guard case .cells(let cells) = record.content else { return }
            sheetRows!.append(cells.fields.map(RecordWriter.workbookCell))
            return
        }
        var out: [UInt8] = []
        if !wroteHeader {
            writer.appendHeader(into: &out)
            wroteHeader = true
        }
        writer.append(record, into: &out)
        try file?.write(out)
    }

    func flush() throws(FileError) {
        try file?.flush()
    }

    /// Closes the text file, or writes the workbook whole (in place of the file at `path`
    /// only once complete).
    func close() throws(FileError) {
        guard let rows = sheetRows else {
            try file?.close()
            return
        }
        sheetRows = nil
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
    }
}
