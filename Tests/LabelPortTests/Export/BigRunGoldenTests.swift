import LabelPortCore
import Testing

/// Export of one run of 50,000 labels (``BigRunSeed``) equals, byte for byte, what the
/// code before the streaming reader wrote: the golden holds each format's SHA-256 and
/// size (the files are ~20 MB each), plus the JSONL export's first lines as a readable
/// sample. `LABELPORT_RECORD_GOLDEN=1` rewrites them (only ever from a known-good build).
@Suite("export of a 50,000-label run (golden)", .timeLimit(.minutes(8)))
struct BigRunGoldenTests {
    typealias F = ExportFixtures
    static let count = 50_000
    static let sampleLines = 25

    /// Where a recording writes the golden: the source tree (the test reads its bundle's copy).
    static let sourceDirectory: String = {
        var path = #filePath
        while let last = path.last, last != "/" { path.removeLast() }
        return path + "../Fixtures/export/"
    }()

    /// Output name and extra flags of each export the golden covers.
    static let exports: [(name: String, flags: [String])] = [
        ("big.jsonl", []),
        ("big.csv", []),
        ("big-flat-excel.csv", ["--flatten", "--excel"]),
        ("big.xlsx", []),
    ]

    @Test("jsonl, csv, flattened Excel csv and xlsx: the same bytes as before")
    func sameBytes() async throws {
        let recording = getenv("LABELPORT_RECORD_GOLDEN") != nil
        try await F.withSandbox(seed: BigRunSeed.seed(count: Self.count)) { sandbox, directory in
            var digests = "# export labels --run \(BigRunSeed.runID) of BigRunSeed.seed(count: \(Self.count)): name sha256 bytes\n"
            var sample: [UInt8] = []
            for (name, flags) in Self.exports {
                let (result, bytes) = try await F.export([BigRunSeed.runID], from: sandbox, in: directory, to: name, extra: flags)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderr.contains("exported \(CountText.count(Self.count, "label")) from 1 run"), "\(result.stderr)")
                var hash = SHA256()
                hash.update(bytes)
                digests += "\(name) \(hash.finalizeHex()) \(bytes.count)\n"
                if name == "big.jsonl" {
                    sample = Array(bytes.split(separator: 0x0A, omittingEmptySubsequences: false).prefix(Self.sampleLines).joined(separator: [0x0A]))
                    sample.append(0x0A)
                }
            }
            if recording {
                try Self.write(Array(digests.utf8), to: Self.sourceDirectory + "big-run-50k.sha256")
                try Self.write(sample, to: Self.sourceDirectory + "big-run-50k-head.jsonl")
            }
            let golden = Fixtures.directory("export")
            #expect(try FileText.readBytes(golden + "big-run-50k-head.jsonl") == sample)
            #expect(String(decoding: try FileText.readBytes(golden + "big-run-50k.sha256"), as: UTF8.self) == digests)
        }
    }

    private static func write(_ bytes: [UInt8], to path: String) throws {
        guard let handle = fopen(path, "wb") else { throw TemporaryDirectoryError(message: "cannot create \(path)") }
        defer { fclose(handle) }
        guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else { throw TemporaryDirectoryError(message: "cannot write \(path)") }
    }
}
