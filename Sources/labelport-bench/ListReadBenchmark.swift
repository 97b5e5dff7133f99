import Foundation
import LabelPortCore

/// `labelport-bench list-read FILE [REPEATS]`: the client's work on a list answer without
/// the network: FILE (a run's list answer, e.g. saved by curl) fed in 64 KiB pieces to the
/// list reader, twice: into a compact run of JSONL rows (what `export labels` keeps), then
/// sorted and its rows copied out as a write would; and into a compact run of the labels
/// as sent (what a plan, `export --dry-run` and `copy` keep). Prints the CPU time of each
/// phase, best of REPEATS (default 5): a steadier figure than a whole export on a shared
/// machine.
enum ListReadBenchmark {
    static let pieceSize = 64 * 1024

    static func run(_ arguments: [String]) async throws {
        guard let path = arguments.first else { throw BenchError("usage: labelport-bench list-read FILE [REPEATS]") }
        let repeats = arguments.count > 1 ? Int(arguments[1]) ?? 5 : 5
        let answer = try FileText.readBytes(path)
        var bestRows = Double.infinity, bestWrite = Double.infinity, bestAsSent = Double.infinity
        var count = 0
        for _ in 0..<repeats {
            let started = ValidateBench.cpuSeconds()
            let run = try read(answer, body: .row(ExportEncoder<GoldLabel>(format: .jsonl)))
            let read = ValidateBench.cpuSeconds()
            var written = 0
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            for index in run.exportOrder() {
                out.append(contentsOf: run.bodyBytes(index))
                if out.count >= 1 << 20 {
                    written += out.count
                    out.removeAll(keepingCapacity: true)
                }
            }
            written += out.count
            let done = ValidateBench.cpuSeconds()
            let asSent = try Self.read(answer, body: .asSent)
            let readAsSent = ValidateBench.cpuSeconds()
            bestRows = min(bestRows, read - started)
            bestWrite = min(bestWrite, done - read)
            bestAsSent = min(bestAsSent, readAsSent - done)
            count = run.count
            precondition(written > 0 && asSent.count == run.count)
        }
        let mb = Double(answer.count) / 1_048_576
        print(String(format: "list-read: %d labels, %.1f MiB answer; best of %d", count, mb, repeats))
        print(String(format: "  into rows (export):  read %.3f s CPU (%.0f MiB/s), sort and copy out %.3f s CPU", bestRows, mb / bestRows, bestWrite))
        print(String(format: "  as sent (plan, copy): read %.3f s CPU (%.0f MiB/s)", bestAsSent, mb / bestAsSent))
    }

    /// The answer, fed in pieces to the list reader into a compact run of `body`.
    private static func read(_ answer: [UInt8], body: CompactRun.Body) throws -> CompactRun {
        var reader = GoldLabelListReader()
        var builder = CompactRun.Builder(body: body)
        try answer.withUnsafeBytes { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(start + pieceSize, bytes.count)
                try reader.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), into: &builder)
                start = end
            }
        }
        try reader.finish()
        return builder.finish()
    }
}
