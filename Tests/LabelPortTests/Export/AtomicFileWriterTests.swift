import Foundation
import Testing
@testable import LabelPortCore

@Suite("Atomic file writer", .timeLimit(.minutes(10)))
struct AtomicFileWriterTests {
    static func temporaryDirectory() -> String {
        var template = Array("/tmp/labelport-atomic-XXXXXX".utf8CString)
        let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        return path
    }

    static func entries(_ directory: String) -> [String] {
        guard let dir = opendir(directory) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func write(_ path: String, _ text: String) throws {
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(text.utf8))
        try writer.commit()
    }

    @Test("the target appears only at commit, with mode 0644, and nothing else is left")
    func commit() throws {
        let directory = Self.temporaryDirectory()
        let path = directory + "/out.jsonl"
        try Self.write(path, "old\n")
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array(repeating: UInt8(ascii: "x"), count: 3 << 20))
        #expect(try FileText.read(path) == "old\n")
        try writer.commit()
        #expect(try FileText.readBytes(path).count == 3 << 20)
        #expect(Self.entries(directory) == ["out.jsonl"])
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
    }

    @Test("a directory is refused at once, in words (not a rename failing with \"Device or resource busy\")")
    func directory() throws {
        let directory = Self.temporaryDirectory()
        #expect(throws: FileError(path: directory, reason: "it is a directory: name a file to write")) {
            _ = try AtomicFileWriter(path: directory)
        }
        #expect(Self.entries(directory).isEmpty)
    }

    @Test("abort and an error thrown from the body leave the old file and no temporary file")
    func abort() async throws {
        let directory = Self.temporaryDirectory()
        let path = directory + "/out.csv"
        try Self.write(path, "old\n")
        let writer = try AtomicFileWriter(path: path)
        try writer.write(Array("new".utf8))
        writer.abort()
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await AtomicFileWriter.withFile(at: path) { writer in
                try writer.write(Array(repeating: 0x41, count: 2 << 20))
                throw Boom()
            }
        }
        #expect(try FileText.read(path) == "old\n")
        #expect(Self.entries(directory) == ["out.csv"])
    }

    @Test("a cancelled task does not replace the file")
    func cancelled() async throws {
        let directory = Self.temporaryDirectory()
        let path = directory + "/out.csv"
        try Self.write(path, "old\n")
        let task = Task {
            try await AtomicFileWriter.withFile(at: path) { writer in
                try writer.write(Array("new".utf8))
                withUnsafeCurrentTask { $0?.cancel() }
            }
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(try FileText.read(path) == "old\n")
        #expect(Self.entries(directory) == ["out.csv"])
    }

    @Test("a writer dropped without commit leaves nothing; a missing directory fails at once")
    func dropped() throws {
        let directory = Self.temporaryDirectory()
        do {
            let writer = try AtomicFileWriter(path: directory + "/new.jsonl")
            try writer.write(Array("x".utf8))
        }
        #expect(Self.entries(directory).isEmpty)
        #expect(throws: FileError.self) { try AtomicFileWriter(path: directory + "/missing/out.jsonl") }
    }

    @Test("the named fallback's temporary names sit beside the target, hidden")
    func temporaryName() {
        let name = AtomicFileWriter.temporaryName(for: "/data/backup.jsonl")
        #expect(name.hasPrefix("/data/.backup.jsonl.labelport-"))
        #expect(name.hasSuffix(".tmp"))
        #expect(AtomicFileWriter.directory(of: "backup.jsonl") == ".")
        #expect(AtomicFileWriter.directory(of: "/backup.jsonl") == "/")
    }

    @Test("a target that is not a regular file (a named pipe, /dev/null) is written directly, never replaced by a file")
    func notARegularFile() throws {
        let directory = Self.temporaryDirectory()
        defer { _ = try? FileManager.default.removeItem(atPath: directory) }
        let pipe = directory + "/pipe"
        #expect(mkfifo(pipe, 0o600) == 0)
        // The reader end, open before the writer so that opening for writing does not wait.
        let reader = open(pipe, O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        let writer = try AtomicFileWriter(path: pipe)
        try writer.write(Array("through the pipe\n".utf8))
        try writer.commit()
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBytes { read(reader, $0.baseAddress, 64) }
        #expect(n > 0 && String(decoding: buffer[..<n], as: UTF8.self) == "through the pipe\n")
        var info = stat()
        #expect(stat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "still a pipe")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory) == ["pipe"], "no temporary file")
    }
}
