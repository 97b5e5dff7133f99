import Synchronization

/// Appends a write-ahead journal: a header line, then for each write a line sent to the
/// operating system before the request leaves, then its outcome. An outcome line goes to
/// the operating system with the next write's line (or at the close), so a killed process
/// loses at most the outcome lines of the writes in flight and of those that ended since
/// the last write left (undo reads the run for a write with no outcome), never what a
/// write replaced; one system call a row, not two. One JSON object a line. Safe to call
/// from many workers at once.
package final class JournalWriter: Sendable {
    package let path: String
    private let header: JournalHeader
    private struct State {
        /// Opened with the first write (a run that writes nothing leaves no journal).
        var file: BufferedFileWriter?
        var closed = false
        var nextSeq = 1
    }
    /// The writer is only touched under the lock.
    private let state = Mutex(State())

    /// A journal at `path`, created (or truncated) with the first write.
    package init(path: String, header: JournalHeader) {
        self.path = path
        self.header = header
    }

    /// Whether any write was recorded (the file exists).
    package var wasWritten: Bool { state.withLock { $0.nextSeq > 1 } }

    /// Records a write before it is sent; returns its sequence number. When this throws
    /// the write must not be sent: nothing would say what it replaced.
    @discardableResult
    package func recordWrite(_ write: JournalWrite) throws(FileError) -> Int {
        try state.withLock { state throws(FileError) -> Int in
            guard !state.closed else { throw FileError(path: path, reason: "the journal is closed") }
            let file: BufferedFileWriter
            if let open = state.file {
                file = open
            } else {
                // 0600: a journal holds label values, for the user alone.
                file = try BufferedFileWriter(path: path, capacity: 4096, mode: 0o600)
                try Self.writeLine(header.json, to: file)
                state.file = file
            }
            var write = write
            write.seq = state.nextSeq
            try Self.writeLine(write.json, to: file)
            try file.flush()
            state.nextSeq += 1
            return write.seq
        }
    }

    /// Records how a write ended. A failure here loses only this line: the write's line
    /// is already in the file, and undo treats a write with no outcome as unknown.
    package func recordOutcome(_ outcome: JournalOutcome) {
        state.withLock { state in
            guard let file = state.file else { return }
            try? Self.writeLine(outcome.json, to: file)
        }
    }

    package func close() throws(FileError) {
        try state.withLock { state throws(FileError) in
            state.closed = true
            defer { state.file = nil }
            try state.file?.close()
        }
    }

    private static func writeLine(_ object: JSONObject, to file: BufferedFileWriter) throws(FileError) {
        var line: [UInt8] = []
        JSONWriter().write(object, into: &line)
        line.append(0x0A)
        try file.write(line)
    }
}
