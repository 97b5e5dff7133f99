import LabelPortCore

/// The `--rejects` file: rows in the input's own format, header first for CSV.
/// Used under the lock of one ``RowFiles``.
final class RejectsFile {
    private var writer: RecordWriter
    private var wroteHeader = false
    private let file: BufferedFileWriter

    /// Writes the CSV header at once, so a rejects file with no rows is still a valid
    /// (empty) input, not a CSV without a header.
    init(path: String, writer: RecordWriter) throws(FileError) {
        self.writer = writer
        file = try BufferedFileWriter(path: path)
        var header: [UInt8] = []
        self.writer.appendHeader(into: &header)
        wroteHeader = true
        try file.write(header)
    }

    func write(_ record: InputRecord) throws(FileError) {
        var out: [UInt8] = []
        if !wroteHeader {
            writer.appendHeader(into: &out)
            wroteHeader = true
        }
        writer.append(record, into: &out)
        try file.write(out)
    }

    func flush() throws(FileError) {
        try file.flush()
    }

    func close() throws(FileError) {
        try file.close()
    }
}
