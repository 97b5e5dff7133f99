import Synchronization

/// Bytes kept in a temporary file instead of memory: what an export that must hold every
/// label before its first row (xlsx, flattened) keeps of each label's text, so that its
/// memory is the few fields that sort the labels, not the labels themselves. One file
/// serves every run of an export (runs are read concurrently and append in turn).
///
/// The file is removed from its directory as soon as it is made: it has no name, nothing
/// is left behind whatever ends the process, and the system frees it when it is closed.
/// It is in `$TMPDIR` (else `/tmp`).
///
/// Nothing is lost when the disk cannot take the bytes: when a write fails (disk full),
/// what is not on disk stays in memory and is read from there.
package final class SpillFile: Sendable {
    /// Bytes gathered before a write: few system calls, little memory.
    static let bufferLimit = 1 << 20

    /// The file (-1: none could be made). Closed only when this is freed, so that a read
    /// never meets a descriptor closed or reused under it.
    private let fd: Int32

    private struct State {
        /// False once a write failed (or there is no file): then every byte stays pending.
        var writable: Bool
        /// Bytes in the file: offsets below this are read from it.
        var onDisk = 0
        /// Bytes appended after those, in memory.
        var pending: [UInt8] = []
        /// Why bytes could not be read back, once that happened.
        var readFailure: FileError?
    }

    private let state: Mutex<State>

    /// A new, empty file in the temporary directory; nil when none can be made (the caller
    /// then keeps the bytes in memory itself).
    package convenience init?() {
        let fd = Self.makeUnnamedFile()
        guard fd >= 0 else { return nil }
        self.init(descriptor: fd)
    }

    /// Over `descriptor` (-1: none; tests also pass a descriptor that cannot be written).
    package init(descriptor: Int32) {
        fd = descriptor
        state = Mutex(State(writable: descriptor >= 0))
    }

    deinit {
        if fd >= 0 { Platform.close(fd) }
    }

    /// Bytes appended so far.
    package var count: Int { state.withLock { $0.onDisk + $0.pending.count } }

    /// True while the bytes go to disk (false once the file failed or was never made).
    package var isOnDisk: Bool { state.withLock { $0.writable } }

    /// Why bytes could not be read back (an I/O error), if that happened: what was read
    /// then is incomplete, and the caller must not use it.
    package var readFailure: FileError? { state.withLock { $0.readFailure } }

    /// Appends `bytes`; returns where they start (for ``withBytes(at:count:_:)``).
    package func append(_ bytes: UnsafeRawBufferPointer) -> Int {
        state.withLock { state in
            let offset = state.onDisk + state.pending.count
            state.pending.append(contentsOf: bytes)
            if state.pending.count >= Self.bufferLimit { write(&state) }
            return offset
        }
    }

    /// Writes what is pending and lets go of the buffer: call when no more bytes are coming
    /// for a while (a run is read).
    package func flush() {
        state.withLock { state in
            write(&state)
            if state.pending.isEmpty { state.pending = [] }
        }
    }

    /// Writes the pending bytes to the file. A write that fails ends writing: from then on
    /// every byte stays in memory (what a partial write put in the file is not counted).
    private func write(_ state: inout State) {
        guard state.writable, !state.pending.isEmpty else { return }
        let onDisk = state.onDisk
        let written = state.pending.withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = pwrite(fd, raw.baseAddress! + done, raw.count - done, off_t(onDisk + done))
                if n > 0 {
                    done += n
                } else if n < 0 && Platform.errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
        guard written else {
            state.writable = false
            return
        }
        state.onDisk += state.pending.count
        state.pending.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with the `count` bytes appended at `offset`. Bytes that cannot be read
    /// back (an I/O error) are given as none, and ``readFailure`` says why.
    package func withBytes<Result>(at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        withUnsafeTemporaryAllocation(byteCount: max(count, 1), alignment: 1) { buffer in
            let fromMemory = state.withLock { state -> Bool in
                guard offset >= state.onDisk else { return false }
                let start = offset - state.onDisk
                state.pending.withUnsafeBytes { pending in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: pending[start..<(start + count)]))
                }
                return true
            }
            let read = fromMemory ? count : self.read(into: buffer, count: count, at: offset)
            return body(UnsafeRawBufferPointer(start: buffer.baseAddress, count: read))
        }
    }

    /// Reads `count` bytes at `offset`: `count`, or 0 when they cannot be read.
    private func read(into buffer: UnsafeMutableRawBufferPointer, count: Int, at offset: Int) -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n < 0 && Platform.errno == EINTR {
                continue
            } else {
                let reason = n < 0 ? String(cString: strerror(Platform.errno)) : "it is shorter than what was written to it"
                state.withLock { state in
                    if state.readFailure == nil {
                        state.readFailure = FileError(path: Self.directory, reason: "cannot read back labelport's temporary file: \(reason)")
                    }
                }
                return 0
            }
        }
        return count
    }

    /// `$TMPDIR`, else `/tmp`.
    static var directory: String {
        if let value = getenv("TMPDIR"), value.pointee != 0 { return String(cString: value) }
        return "/tmp"
    }

    /// A file open for reading and writing whose name is already removed; -1 when none
    /// can be made.
    private static func makeUnnamedFile() -> Int32 {
        var template = Array("\(directory)/labelport-spill-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return -1 }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return fd
    }
}
