import LabelPortCore
/// A fresh directory under /tmp, removed by ``remove()``.
struct TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/labelport-test-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw TemporaryDirectoryError(message: "mkdtemp failed (errno \(errno))")
        }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func url(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        let file = url(name)
        guard let handle = fopen(file, "wb") else { throw TemporaryDirectoryError(message: "cannot create \(file)") }
        defer { fclose(handle) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else { throw TemporaryDirectoryError(message: "cannot write \(file)") }
        return file
    }

    /// Writes `bytes` to `name` in the directory and returns its path.
    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let file = url(name)
        guard let handle = fopen(file, "wb") else { throw TemporaryDirectoryError(message: "cannot create \(file)") }
        defer { fclose(handle) }
        guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else { throw TemporaryDirectoryError(message: "cannot write \(file)") }
        return file
    }

    /// The names of the files in the directory.
    func fileNames() -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func remove() {
        for name in fileNames() { unlink(url(name)) }
        rmdir(path)
    }
}

struct TemporaryDirectoryError: Error { let message: String }
