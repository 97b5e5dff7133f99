@testable import LabelPortCore
import Testing

/// A flush that fails part-way: what reached the file is not written again.
@Suite("Buffered file writer", .timeLimit(.minutes(1)))
struct BufferedFileWriterTests {
    /// A pipe whose write end does not block: a write larger than the pipe holds goes in
    /// part, and the next one fails (EAGAIN), as a disk that fills up mid-write does.
    struct Pipe {
        let read: Int32, write: Int32

        init() throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            read = ends[0]
            write = ends[1]
            try #require(fcntl(write, F_SETFL, fcntl(write, F_GETFL) | O_NONBLOCK) == 0)
            try #require(fcntl(read, F_SETFL, fcntl(read, F_GETFL) | O_NONBLOCK) == 0)
        }

        /// Everything in the pipe now.
        func drain() -> [UInt8] {
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = chunk.withUnsafeMutableBytes { Platform.read(read, $0.baseAddress, $0.count) }
                guard n > 0 else { return bytes }
                bytes += chunk[..<n]
            }
        }

        func close() {
            Platform.close(read)
            Platform.close(write)
        }
    }

    @Test("a flush that fails part-way sends only the rest next time")
    func partialWriteIsNotRepeated() throws {
        let pipe = try Pipe()
        defer { pipe.close() }
        // More than a pipe holds (64 KiB on Linux, 16 KiB or 64 KiB on macOS), each byte
        // telling its place, so a repeated stretch cannot go unseen.
        let sent = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
        let writer = BufferedFileWriter(descriptor: pipe.write, name: "the pipe", capacity: 1 << 20)
        try writer.write(sent)
        var received: [UInt8] = []
        var failures = 0, flushed = false
        // 300,000 bytes take 5 flushes through a 64 KiB pipe; one that sent its bytes
        // again from the start would never end.
        for _ in 0..<50 where !flushed {
            do {
                try writer.flush()
                flushed = true
            } catch {
                failures += 1
                #expect(error.description.contains("the pipe"))
                let got = pipe.drain()
                try #require(!got.isEmpty, "a failed flush wrote nothing")
                received += got
            }
        }
        received += pipe.drain()
        #expect(flushed)
        #expect(failures >= 1)
        #expect(received.count == sent.count)
        // Compared apart: a failing `==` of the arrays makes the test library diff 300,000 bytes.
        let same = received == sent
        #expect(same, "the bytes arrived in order, each once")
        // Nothing is left to write.
        try writer.flush()
        #expect(pipe.drain().isEmpty)
    }
}
