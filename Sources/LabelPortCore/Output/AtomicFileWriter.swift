/// Writes a file that appears whole or not at all.
///
/// Bytes go to a temporary file in the target's directory; ``commit()`` flushes, fsyncs
/// and renames it over the target. Until then the old file is untouched, and
/// ``abort()`` (or dropping an uncommitted writer) removes the temporary file.
///
/// On Linux the temporary file is created with `O_TMPFILE`: it has no name until the
/// commit links it in, so even a process killed with SIGKILL leaves nothing behind.
/// Elsewhere (or where the file system lacks `O_TMPFILE`) it is a hidden file named
/// `.NAME.labelport-RANDOM.tmp` beside the target. The file's mode is 0644.
///
/// A target that is not a regular file (`/dev/null`, a named pipe) is written directly:
/// renaming over it would replace the device or pipe with a file.
///
/// One owner at a time: not `Sendable`.
package final class AtomicFileWriter {
    package let path: String
    private var fd: Int32
    /// The temporary file's name, when it has one (named fallback, or after linking).
    private var temporaryPath: String?
    private var buffer: [UInt8] = []
    /// Bytes already written to the file.
    private var written = 0
    /// Writing straight to a target that is not a regular file: no temporary file.
    private var direct = false
    private var finished = false
    private static let bufferLimit = 1 << 20

    /// Creates the temporary file for `path`; fails if its directory is not writable.
    /// `mode`: the file's permissions (0600 for what holds label values only the user
    /// should read: plans).
    package init(path: String, mode: mode_t = 0o644) throws(FileError) {
        self.path = path
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw FileError(path: path, reason: "it is a directory: name a file to write")
        }
        if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
            fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw FileError.errno(path) }
            direct = true
            temporaryPath = nil
            return
        }
        let directory = Self.directory(of: path)
        #if os(Linux)
        // O_TMPFILE is a compound macro Swift does not import: __O_TMPFILE | O_DIRECTORY.
        let oTmpFile: Int32 = 0o20000000 | O_DIRECTORY
        let unnamed = open(directory, oTmpFile | O_WRONLY | O_CLOEXEC, mode)
        if unnamed >= 0 {
            fd = unnamed
            temporaryPath = nil
            fchmod(fd, mode)
            buffer.reserveCapacity(Self.bufferLimit)
            return
        }
        let code = errno
        guard code == EOPNOTSUPP || code == EISDIR || code == EINVAL else {
            throw FileError(path: path, reason: "cannot write in \(directory): \(String(cString: strerror(code)))")
        }
        #endif
        var opened: Int32 = -1
        var name = ""
        for _ in 0..<16 {
            name = Self.temporaryName(for: path)
            opened = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
            if opened >= 0 || errno != EEXIST { break }
        }
        guard opened >= 0 else {
            throw FileError(path: path, reason: "cannot write in \(directory): \(String(cString: strerror(errno)))")
        }
        fd = opened
        temporaryPath = name
        fchmod(fd, mode)
        buffer.reserveCapacity(Self.bufferLimit)
    }

    deinit {
        if !finished { discard() }
    }

    /// Appends bytes (buffered).
    package func write(_ bytes: [UInt8]) throws(FileError) {
        precondition(!finished, "write after commit or abort")
        if buffer.isEmpty && bytes.count >= Self.bufferLimit {
            try writeOut(bytes)  // a big chunk goes out as it is, not copied first
            return
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferLimit { try flush() }
    }

    /// Flushes, fsyncs and renames the file over the target, then fsyncs the directory.
    /// On failure the temporary file is removed and the target left as it was.
    package func commit() throws(FileError) {
        precondition(!finished, "commit after commit or abort")
        if direct {
            defer { close(fd); finished = true }
            try flush()
            return
        }
        do throws(FileError) {
            try flush()
            guard fsync(fd) == 0 else { throw FileError.errno(path) }
            #if os(Linux)
            if temporaryPath == nil { try linkUnnamedFile() }
            #endif
            guard let temporaryPath else { throw FileError(path: path, reason: "temporary file has no name") }
            guard rename(temporaryPath, path) == 0 else { throw FileError.errno(path) }
            self.temporaryPath = nil
        } catch {
            discard()
            throw error
        }
        close(fd)
        finished = true
        let directory = open(Self.directory(of: path), O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// Drops everything written; the target stays as it was.
    package func abort() {
        if !finished { discard() }
    }

    /// Runs `body` with a writer for `path` and commits when it returns; if it throws,
    /// or the task was cancelled, the temporary file is removed and the error rethrown.
    package static func withFile<Result>(
        at path: String, _ body: (AtomicFileWriter) async throws -> Result
    ) async throws -> Result {
        let writer = try AtomicFileWriter(path: path)
        do {
            let result = try await body(writer)
            try Task.checkCancellation()
            try writer.commit()
            return result
        } catch {
            writer.abort()
            throw error
        }
    }

    // MARK: Internals

    private func flush() throws(FileError) {
        try writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes all of `bytes` to the file and starts writing them to disk.
    private func writeOut(_ bytes: [UInt8]) throws(FileError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                Platform.write(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileError.errno(path)
            }
            offset += n
        }
        Platform.startWriteback(fd, offset: written, count: bytes.count)
        written += bytes.count
    }

    #if os(Linux)
    /// Gives the unnamed `O_TMPFILE` file a temporary name beside the target, so that
    /// `rename` can replace the target atomically (`linkat` cannot overwrite).
    private func linkUnnamedFile() throws(FileError) {
        let source = "/proc/self/fd/\(fd)"
        for _ in 0..<16 {
            let name = Self.temporaryName(for: path)
            if linkat(AT_FDCWD, source, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0 {
                temporaryPath = name
                return
            }
            if errno != EEXIST { throw FileError.errno(path) }
        }
        throw FileError(path: path, reason: "could not name a temporary file")
    }
    #endif

    private func discard() {
        finished = true
        close(fd)
        if let temporaryPath { unlink(temporaryPath) }
        temporaryPath = nil
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let directory = path[..<slash]
        return directory.isEmpty ? "/" : String(directory)
    }

    static func temporaryName(for path: String) -> String {
        let directory = directory(of: path)
        let name = path.lastIndex(of: "/").map { String(path[path.index(after: $0)...]) } ?? path
        let random = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return "\(directory)/.\(name).labelport-\(random).tmp"
    }
}
