/// Reads a file (or stdin for `-`) in fixed-size chunks; closes the file when released.
/// Also reads from bytes in memory, for tests and the fuzzer.
final class ByteSource {
    private enum Origin {
        case file(Int32, owned: Bool)
        case memory([UInt8], position: Int)
    }

    private var origin: Origin
    /// Bytes read ahead by ``peek(_:)``, returned before any others.
    private var pending: [UInt8] = []
    let chunkSize: Int
    let path: String

    init(path: String, chunkSize: Int) throws(InputError) {
        self.path = path
        self.chunkSize = max(1, chunkSize)
        if path == "-" {
            origin = .file(0, owned: false)
            return
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw InputError(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw InputError(path: path, reason: "is a directory")
        }
        origin = .file(fd, owned: true)
    }

    init(bytes: [UInt8], chunkSize: Int) {
        path = "<memory>"
        self.chunkSize = max(1, chunkSize)
        origin = .memory(bytes, position: 0)
    }

    deinit {
        if case .file(let fd, owned: true) = origin { close(fd) }
    }

    /// The next `count` bytes (fewer at the end), left to be read again: how standard
    /// input, which cannot be read twice, is recognised by its first bytes.
    func peek(_ count: Int) throws(InputError) -> [UInt8] {
        var chunk: [UInt8] = []
        while pending.count < count {
            let n = try readOrigin(into: &chunk).get()
            if n == 0 { break }
            pending += chunk[0..<n]
        }
        return Array(pending.prefix(count))
    }

    /// Fills `buffer` with up to `chunkSize` bytes; returns how many (0 at the end), or
    /// an error text.
    func read(into buffer: inout [UInt8]) -> Result<Int, InputError> {
        if buffer.count != chunkSize { buffer = [UInt8](repeating: 0, count: chunkSize) }
        guard pending.isEmpty else {
            let n = min(chunkSize, pending.count)
            buffer.replaceSubrange(0..<n, with: pending[0..<n])
            pending.removeFirst(n)
            return .success(n)
        }
        return readOrigin(into: &buffer)
    }

    private func readOrigin(into buffer: inout [UInt8]) -> Result<Int, InputError> {
        if buffer.count != chunkSize { buffer = [UInt8](repeating: 0, count: chunkSize) }
        switch origin {
        case .memory(let bytes, let position):
            let n = min(chunkSize, bytes.count - position)
            if n > 0 {
                buffer.withUnsafeMutableBytes { out in
                    bytes.withUnsafeBytes { src in
                        out.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
                    }
                }
            }
            origin = .memory(bytes, position: position + n)
            return .success(n)
        case .file(let fd, _):
            while true {
                let n = buffer.withUnsafeMutableBytes { Platform.read(fd, $0.baseAddress, $0.count) }
                if n >= 0 { return .success(n) }
                if errno == EINTR { continue }
                return .failure(InputError(path: path, reason: String(cString: strerror(errno))))
            }
        }
    }
}
