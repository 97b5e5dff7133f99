@testable import LabelPortCore
import NIOCore
import NIOEmbedded
import Testing

/// A request's parts, each flushed by AsyncHTTPClient, leave in one write: at the end of
/// the task that wrote them when it runs on the connection's loop, else at the end of the
/// loop's turn.
@Suite("Requests sent whole", .timeLimit(.minutes(1)))
struct FlushCoalescerTests {
    private func channel(batch: FlushBatch?, loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> (EmbeddedChannel, OutboundCounter) {
        let counter = OutboundCounter()
        let channel = EmbeddedChannel(loop: loop)
        try channel.pipeline.syncOperations.addHandler(counter)
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer(batch: batch))
        return (channel, counter)
    }

    /// A request's head, body and end, each flushed, as AsyncHTTPClient writes them.
    private func writeRequest(_ channel: EmbeddedChannel, _ text: String) {
        for part in ["HEAD " + text, "BODY " + text, "END " + text] {
            channel.writeAndFlush(ByteBuffer(string: part), promise: nil)
        }
    }

    private func sent(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { parts.append(String(buffer: buffer)) }
        return parts
    }

    @Test("in a task's job, three flushes are one, made when the job ends, with every part in order")
    func oneFlushPerJob() throws {
        let loop = EmbeddedEventLoop()
        let batch = FlushBatch(loop)
        let (channel, counter) = try channel(batch: batch, loop: loop)

        batch.run {
            writeRequest(channel, "a")
            #expect(counter.flushes == 0)
        }
        #expect(counter.flushes == 1)
        #expect(try sent(channel) == ["HEAD a", "BODY a", "END a"])

        // The next job's request is sent at the end of that job, not held for later ones.
        batch.run { writeRequest(channel, "b") }
        #expect(counter.flushes == 2)
        #expect(try sent(channel) == ["HEAD b", "BODY b", "END b"])
        loop.run()
        #expect(counter.flushes == 2)
    }

    @Test("outside a task's job (no batch, or a write from the connection itself), the flush waits for the loop's turn to end")
    func outsideAJob() throws {
        let (channel, counter) = try channel(batch: nil)
        writeRequest(channel, "a")
        #expect(counter.flushes == 0)
        (channel.eventLoop as! EmbeddedEventLoop).run()
        #expect(counter.flushes == 1)
        #expect(try sent(channel) == ["HEAD a", "BODY a", "END a"])

        let batch = FlushBatch(channel.eventLoop)
        let (other, otherCounter) = try self.channel(batch: batch)
        writeRequest(other, "b")
        (other.eventLoop as! EmbeddedEventLoop).run()
        #expect(otherCounter.flushes == 1)
    }

    @Test("a flush still held when the coalescer leaves the pipeline is made then")
    func removedWhileHolding() async throws {
        let (channel, counter) = try channel(batch: nil)
        writeRequest(channel, "a")
        let coalescer = try channel.pipeline.syncOperations.handler(type: FlushCoalescer.self)
        try await channel.pipeline.syncOperations.removeHandler(coalescer).get()
        #expect(counter.flushes == 1)
        #expect(try sent(channel) == ["HEAD a", "BODY a", "END a"])
    }
}
