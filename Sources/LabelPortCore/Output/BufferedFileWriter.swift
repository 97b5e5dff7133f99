/// Somewhere bytes can be written.
package protocol ByteSink {
    func write(_ bytes: [UInt8]) throws(FileError)
    func write(_ text: String) throws(FileError)
}

/// Appends bytes to a file (or standard output) through a buffer. Not thread-safe:
/// owned by one actor or task.
package final class BufferedFileWriter: ByteSink {
    package let path: String
    private let fd: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let capacity: Int

    private init(fd: Int32, path: String, ownsDescriptor: Bool, capacity: Int) {
        self.fd = fd
        self.path = path
        self.ownsDescriptor = ownsDescriptor
        self.capacity = capacity
        buffer.reserveCapacity(capacity)
    }

    /// Creates or truncates `path` (mode 0644 when created; with `mode`, that mode, also for
    /// a file that was there); "-" is standard output.
    package convenience init(path: String, capacity: Int = 64 * 1024, mode: mode_t? = nil) throws(FileError) {
        if path == "-" {
            self.init(descriptor: STDOUT_FILENO, name: path, capacity: capacity)
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode ?? 0o644)
        guard fd >= 0 else { throw FileError.errno(path) }
        if let mode { fchmod(fd, mode) }
        self.init(fd: fd, path: path, ownsDescriptor: true, capacity: capacity)
    }

    /// Writes to a descriptor that is already open (standard output, a pipe), named `name`
    /// in errors; ``close(removing:)`` leaves it open.
    package convenience init(descriptor: Int32, name: String, capacity: Int = 64 * 1024) {
        self.init(fd: descriptor, path: name, ownsDescriptor: false, capacity: capacity)
    }

    /// A temporary file that is removed when closed with `close(removing: true)`.
    package static func temporary(prefix: String) throws(FileError) -> BufferedFileWriter {
        let directory = ProcessInfoLite.temporaryDirectory
        var template = Array("\(directory)/\(prefix)-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileError.errno(directory) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        Platform.close(fd)
        return try BufferedFileWriter(path: path)
    }

    package func write(_ bytes: [UInt8]) throws(FileError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    package func write(_ text: String) throws(FileError) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    package func flush() throws(FileError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Platform.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let error = FileError.errno(path)
                // What reached the file is not written again by a later flush.
                buffer.removeFirst(offset)
                throw error
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes; `removing` deletes the file afterwards (temporary files).
    package func close(removing: Bool = false) throws(FileError) {
        defer {
            if ownsDescriptor { Platform.close(fd) }
            if removing { unlink(path) }
        }
        try flush()
    }

    /// Copies the whole file at `path` to `destination` in chunks.
    package static func copy(_ path: String, to destination: some ByteSink) throws(FileError) {
        try FileText.forEachChunk(of: path) { chunk throws(FileError) in try destination.write(Array(chunk)) }
    }
}

/// Process facts without Foundation.
package enum ProcessInfoLite {
    package static var temporaryDirectory: String {
        if let dir = getenv("TMPDIR") {
            let text = String(cString: dir)
            if !text.isEmpty { return text.hasSuffix("/") ? String(text.dropLast()) : text }
        }
        return "/tmp"
    }
}
