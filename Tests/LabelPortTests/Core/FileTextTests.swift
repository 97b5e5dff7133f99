import Testing
@testable import LabelPortCore

/// Small whole-file reads: a path that can be read only once (a pipe, a FIFO) gives the
/// same bytes to a second read in the same process, as `copy` makes of a `--ca-file`.
@Suite("Whole-file reads", .timeLimit(.minutes(1)))
struct FileTextTests {
    @Test("a FIFO is read once; a second read gets the same bytes instead of blocking or finding it empty")
    func fifoReadTwice() throws {
        let directory = try TemporaryDirectory()
        let fifo = directory.url("ca.pem")
        let text = "-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n"
        // One writer, once: a second open for reading would wait for another for ever.
        #expect(FIFOFixture.start(fifo, writing: text))
        #expect(FileText.isReadOnce(fifo))
        #expect(try FileText.read(fifo) == text)
        #expect(try FileText.read(fifo) == text)
    }

    @Test("a regular file is read afresh each time")
    func regularFile() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("token", "one\n")
        #expect(!FileText.isReadOnce(path))
        #expect(try FileText.read(path) == "one\n")
        _ = try directory.write("token", "two\n")
        #expect(try FileText.read(path) == "two\n")
    }
}
