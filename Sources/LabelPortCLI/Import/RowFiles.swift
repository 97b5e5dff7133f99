import LabelPortCore
import Synchronization

/// The `--report` and `--rejects` files of a run, written in input order.
///
/// Each row is also held here from the moment it finishes (``hold(_:)``), before it waits
/// for earlier rows still in flight, until it is written (``write(_:)``). A second Ctrl-C
/// quits at once from the signal handler's thread, without waiting for those rows:
/// ``writeFinishedAndStop()`` then writes every row held that was attempted (ok or
/// failed), in input order, so the report holds every finished row and leaves out the rows
/// not finished: in flight, or not attempted. One lock keeps the two writers from
/// interleaving or writing a row twice.
final class RowFiles: Sendable {
    private struct State {
        var report: BufferedFileWriter?
        var rejects: RejectsFile?
        /// Finished rows not written yet, by sequence number.
        var finished: [Int: RowOutcome] = [:]
        /// After a Ctrl-C every row goes to disk as it is written.
        var flushEachRow = false
        /// Set by a second Ctrl-C's write: nothing more is written.
        var stopped = false

        mutating func append(_ outcome: RowOutcome) throws(FileError) {
            if let report {
                var line: [UInt8] = []
                JSONWriter().write(outcome.reportJSON, into: &line)
                line.append(0x0A)
                try report.write(line)
            }
            if let rejects, outcome.status == .failed || outcome.status == .skipped, let record = outcome.record {
                try rejects.write(record)
            }
        }

        func flush() throws(FileError) {
            try report?.flush()
            try rejects?.flush()
        }
    }

    private let state: Mutex<State>
    /// Whether there is a file to write (else rows are not held).
    let isEmpty: Bool

    init(reportPath: String?, rejectsPath: String?, recordWriter: RecordWriter?) throws(FileError) {
        let report = try reportPath.map { path throws(FileError) in try BufferedFileWriter(path: path) }
        let rejects = try rejectsPath.flatMap { path throws(FileError) in
            try recordWriter.map { writer throws(FileError) in try RejectsFile(path: path, writer: writer) }
        }
        isEmpty = report == nil && rejects == nil
        state = Mutex(State(report: report, rejects: rejects))
    }

    /// A row has finished (it may wait for earlier ones before it is written).
    func hold(_ outcome: RowOutcome) {
        guard !isEmpty else { return }
        state.withLock { $0.finished[outcome.planned.sequence] = outcome }
    }

    /// Writes a row, in input order.
    func write(_ outcome: RowOutcome) throws(FileError) {
        guard !isEmpty else { return }
        try state.withLock { (state: inout State) throws(FileError) in
            state.finished[outcome.planned.sequence] = nil
            guard !state.stopped else { return }
            try state.append(outcome)
            if state.flushEachRow { try state.flush() }
        }
    }

    /// Writes what is buffered now, and every later row at once (after a Ctrl-C).
    func flushNow() throws(FileError) {
        try state.withLock { (state: inout State) throws(FileError) in
            state.flushEachRow = true
            try state.flush()
        }
    }

    /// A second Ctrl-C: writes every finished row not written yet (not those skipped), in
    /// input order, and stops writing. Runs on the signal handler's thread just before the process ends.
    func writeFinishedAndStop() {
        state.withLock { state in
            guard !state.stopped else { return }
            // Rows not attempted (skipped) are not finished rows: the report leaves them out.
            for sequence in state.finished.keys.sorted() where state.finished[sequence]!.status != .skipped {
                try? state.append(state.finished[sequence]!)
            }
            try? state.flush()
            state.finished = [:]
            state.stopped = true
        }
    }

    func close() throws(FileError) {
        try state.withLock { (state: inout State) throws(FileError) in
            state.stopped = true
            try state.report?.close()
            try state.rejects?.close()
        }
    }
}
