import Testing
@testable import LabelPortCore

/// An xlsx or flattened export keeps its labels' text in a temporary file (``SpillFile``):
/// every byte comes back as appended, whether it reached the disk or not, and a run kept
/// that way gives the same labels in the same order as one kept in memory.
@Suite("spill file of xlsx and flattened exports", .timeLimit(.minutes(2)))
struct SpillFileTests {
    /// Chunks of many sizes, each of its own bytes, together over twice the write buffer.
    static func chunks() -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var total = 0
        var size = 1
        while total < 2 * SpillFile.bufferLimit + 12_345 {
            chunks.append((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ chunks.count) })
            total += size
            size = size * 7 % 100_003 + 1
        }
        return chunks
    }

    static func appendAll(_ chunks: [[UInt8]], to file: SpillFile) -> [Int] {
        chunks.map { chunk in chunk.withUnsafeBytes { file.append($0) } }
    }

    static func readAll(_ chunks: [[UInt8]], at offsets: [Int], from file: SpillFile) -> [[UInt8]] {
        zip(chunks, offsets).map { chunk, offset in file.withBytes(at: offset, count: chunk.count) { Array($0) } }
    }

    @Test("bytes come back as appended: those written to the file and those still pending")
    func roundTrip() throws {
        let file = try #require(SpillFile())
        let chunks = Self.chunks()
        let offsets = Self.appendAll(chunks, to: file)
        #expect(file.isOnDisk)
        #expect(file.count == chunks.reduce(0) { $0 + $1.count })
        #expect(Self.readAll(chunks, at: offsets, from: file) == chunks, "before the last flush")
        file.flush()
        #expect(Self.readAll(chunks, at: offsets, from: file) == chunks, "after it")
        #expect(file.withBytes(at: offsets[3], count: 0) { $0.count } == 0)
    }

    /// A descriptor that refuses every write: a full disk where the system has one to
    /// show it (`/dev/full`), else a file opened for reading only.
    static func unwritableDescriptor() -> Int32 {
        #if os(Linux)
        open("/dev/full", O_WRONLY | O_CLOEXEC)
        #else
        open("/dev/null", O_RDONLY | O_CLOEXEC)
        #endif
    }

    @Test("a disk that takes nothing (full), or no file at all: every byte stays in memory", arguments: [true, false])
    func nothingLost(fileThatFails: Bool) throws {
        let descriptor = fileThatFails ? Self.unwritableDescriptor() : -1
        if fileThatFails { try #require(descriptor >= 0) }
        let file = SpillFile(descriptor: descriptor)
        let chunks = Self.chunks()
        let offsets = Self.appendAll(chunks, to: file)
        file.flush()
        #expect(!file.isOnDisk)
        #expect(Self.readAll(chunks, at: offsets, from: file) == chunks)
    }

    @Test("bytes that cannot be read back come as none, and the failure is kept for the export to report")
    func readFailure() throws {
        var template = Array("/tmp/labelport-spill-test-XXXXXX".utf8CString)
        let scratch = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        try #require(scratch >= 0)
        let writeOnly = template.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CLOEXEC) }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        close(scratch)
        try #require(writeOnly >= 0)
        let file = SpillFile(descriptor: writeOnly)
        let chunks = Self.chunks()
        let offsets = Self.appendAll(chunks, to: file)
        file.flush()
        #expect(file.isOnDisk)
        #expect(file.readFailure == nil)
        #expect(file.withBytes(at: offsets[0], count: chunks[0].count) { $0.count } == 0)
        let failure = try #require(file.readFailure)
        #expect(failure.description.hasPrefix("\(SpillFile.directory): cannot read back labelport's temporary file: "), "\(failure)")
    }

    @Test("a run kept in the file gives the labels and the order of one kept in memory")
    func spilledRun() throws {
        let labels = try XlsxExportTests.labels().reversed() + XlsxExportTests.labels()
        func run(_ body: CompactRun.Body) -> CompactRun {
            var builder = CompactRun.Builder(body: body)
            let writer = JSONWriter()
            for label in labels {
                var bytes: [UInt8] = []
                writer.write(label.json, into: &bytes)
                bytes.withUnsafeBytes { builder.add(label, bytes: $0) }
            }
            return builder.finish()
        }
        let file = try #require(SpillFile())
        let spilled = run(.spilled(file))
        let inMemory = run(.asSent)
        #expect(file.count > 0)
        #expect(spilled.storedBytes < inMemory.storedBytes / 3, "memory holds names and ids only")
        #expect(spilled.labels == labels)
        #expect(spilled.exportOrder() == inMemory.exportOrder())
        #expect(spilled.indices.map(spilled.outputResourceName) == labels.map(\.outputResourceName))
        #expect(spilled.indices.map(spilled.id) == labels.map(\.id))
    }
}
