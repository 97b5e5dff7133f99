import LabelPortCore
import Synchronization

/// The `--report` and `--rejects` files of a run, written in input order.
///
/// Each row is also held here from the moment it finishes (``hold(_:)``), before it waits
/// for earlier rows still in flight, until it is written (``write(_:)``). A second Ctrl-C
/// quits at once from the signal handler's thread, without waiting for those rows:
/// ``writeFinishedAndStop()`` then writes every row held, in input order, so the report
/// holds every finished row and leaves out only the rows not finished (in flight).
///
/// Two locks: the files' (taken to write) and the held rows' (taken briefly, so a worker
/// that holds a row never waits for a file). Whoever takes both takes the files' first;
/// a row is let go of and written under the files' lock, so no row is written twice.
final class RowFiles: Sendable {
    private struct Files {
        var report: BufferedFileWriter?
        var rejects: RejectsFile?
        /// After a Ctrl-C every row goes to disk as it is written.
        var flushEachRow = false
        /// Set by a second Ctrl-C's write (or by closing): nothing more is written.
        var stopped = false

        func append(_ outcome: RowOutcome, reportLine: [UInt8]?) throws(FileError) {
            if let report, let reportLine { try report.write(reportLine) }
            if let rejects, outcome.status == .failed || outcome.status == .skipped, let record = outcome.record {
                try rejects.write(record)
            }
        }

        func flush() throws(FileError) {
            try report?.flush()
            try rejects?.flush()
        }
    }

    private let files: Mutex<Files>
    /// Finished rows not written yet, by sequence number.
    private let finished = Mutex<[Int: RowOutcome]>([:])
    private let hasReport: Bool
    /// Whether there is a file to write (else rows are not held).
    let isEmpty: Bool

    init(reportPath: String?, rejectsPath: String?, recordWriter: RecordWriter?) throws(FileError) {
        let report = try reportPath.map { path throws(FileError) in try BufferedFileWriter(path: path) }
        let rejects = try rejectsPath.flatMap { path throws(FileError) in
            try recordWriter.map { writer throws(FileError) in try RejectsFile(path: path, writer: writer) }
        }
        hasReport = report != nil
        isEmpty = report == nil && rejects == nil
        files = Mutex(Files(report: report, rejects: rejects))
    }

    private func reportLine(_ outcome: RowOutcome) -> [UInt8]? {
        guard hasReport else { return nil }
        var line: [UInt8] = []
        JSONWriter().write(outcome.reportJSON, into: &line)
        line.append(0x0A)
        return line
    }

    /// A row has finished (it may wait for earlier ones before it is written).
    func hold(_ outcome: RowOutcome) {
        guard !isEmpty else { return }
        finished.withLock { $0[outcome.planned.sequence] = outcome }
    }

    /// Writes a row, in input order.
    func write(_ outcome: RowOutcome) throws(FileError) {
        guard !isEmpty else { return }
        let line = reportLine(outcome)
        try files.withLock { (files: inout Files) throws(FileError) in
            finished.withLock { $0[outcome.planned.sequence] = nil }
            guard !files.stopped else { return }
            try files.append(outcome, reportLine: line)
            if files.flushEachRow { try files.flush() }
        }
    }

    /// Writes what is buffered now, and every later row at once (after a Ctrl-C).
    func flushNow() throws(FileError) {
        try files.withLock { (files: inout Files) throws(FileError) in
            files.flushEachRow = true
            try files.flush()
        }
    }

    /// A second Ctrl-C: writes every finished row not written yet, in input order, and
    /// stops writing. Runs on the signal handler's thread just before the process ends.
    func writeFinishedAndStop() {
        files.withLock { files in
            guard !files.stopped else { return }
            files.stopped = true
            let rows = finished.withLock { rows in
                defer { rows = [:] }
                return rows.sorted { $0.key < $1.key }.map(\.value)
            }
            for row in rows { try? files.append(row, reportLine: reportLine(row)) }
            try? files.flush()
            // A rejects workbook is written only whole, when closed.
            try? files.rejects?.close()
        }
    }

    func close() throws(FileError) {
        try files.withLock { (files: inout Files) throws(FileError) in
            files.stopped = true
            try files.report?.close()
            try files.rejects?.close()
        }
    }
}
