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

/// Whole-file reads for small files (token files, seeds, id lists).
package enum FileText {
    package static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
        var result: [UInt8] = []
        try forEachChunk(of: path) { chunk throws(FileError) in result.append(contentsOf: chunk) }
        return result
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
