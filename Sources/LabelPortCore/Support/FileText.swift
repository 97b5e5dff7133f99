/// A failed file operation with the path and the system's reason.
package struct FileError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String
    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    package var description: String { "\(path): \(reason)" }

    static func errno(_ path: String, _ code: Int32 = Platform.errno) -> FileError {
        FileError(path: path, reason: String(cString: strerror(code)))
    }
}

import Synchronization

/// Whole-file reads for small files (token files, seeds, id lists, CA and config files).
package enum FileText {
    /// What was read from paths that can be read only once (``isReadOnce(_:)``), kept for a
    /// second read in the same process (`copy` reads a `--ca-file` or the config file once
    /// for each side): a pipe such as `<(command)` would then be empty, a FIFO block.
    private static let readOnce = Mutex<[String: [UInt8]]>([:])

    package static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
        let once = isReadOnce(path)
        if once, let kept = readOnce.withLock({ $0[path] }) { return kept }
        var result: [UInt8] = []
        try forEachChunk(of: path) { chunk throws(FileError) in result.append(contentsOf: chunk) }
        if once { readOnce.withLock { $0[path] = result } }
        return result
    }

    /// True when `path` names something other than a regular file or a directory (a pipe
    /// such as `/dev/stdin` or `<(command)`, a device): its bytes can be read only once.
    package static func isReadOnce(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let type = info.st_mode & S_IFMT
        return type != S_IFREG && type != S_IFDIR
    }

    /// Reads the file at `path` in 64 KiB chunks, handing each to `body`.
    package static func forEachChunk(of path: String, _ body: (ArraySlice<UInt8>) throws(FileError) -> Void) throws(FileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileError.errno(path) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Platform.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.errno(path)
            }
            if n == 0 { return }
            try body(chunk[0..<n])
        }
    }

    package static func read(_ path: String) throws(FileError) -> String {
        String(decoding: try readBytes(path), as: UTF8.self)
    }
}
