import Testing
@testable import LabelPortCore

/// Reading must not depend on where the file is split into chunks: quotes, CRLF, the BOM
/// and multi-byte UTF-8 all land across chunk edges with tiny chunk sizes.
@Suite("Chunk boundaries", .timeLimit(.minutes(10)))
struct ChunkBoundaryTests {
    static let fixtures = [
        "excel-bom-crlf.csv", "multiline.csv", "json-cells.csv", "unicode.csv", "bad-values.csv",
        "unterminated-quote.csv", "text-after-quote.csv", "invalid-utf8.csv", "nul-byte.csv", "too-few-cells.csv",
        "utf16.csv", "blank-lines.jsonl", "invalid-json.jsonl", "truncated.jsonl", "bad-values.jsonl",
    ]

    @Test("same items with chunk sizes 1, 2, 3, 7, 64 and the default", arguments: fixtures)
    func sameItems(_ name: String) throws {
        let reference = try InputFixtures.items(name)
        #expect(!reference.isEmpty)
        for size in [1, 2, 3, 7, 64] {
            let items = try InputFixtures.items(name, options: LabelInputOptions(chunkSize: size))
            #expect(items == reference, "chunk size \(size)")
        }
    }

    @Test("a CRLF split between chunks ends one row, not two")
    func crlfSplit() {
        let text = "output_resource_name,text_value\r\nd1,\"a\r\nb\"\r\nd2,c\r\n"
        for size in 1...9 {
            let items = InputFixtures.items(bytes: Array(text.utf8), name: "x.csv", options: LabelInputOptions(runID: InputFixtures.runID, chunkSize: size))
            let rows = items.compactMap { item -> LabelRow? in if case .row(let row, _) = item { row } else { nil } }
            #expect(rows.map(\.line) == [2, 4], "chunk size \(size)")
            #expect(rows.map(\.textValue) == ["a\r\nb", "c"], "chunk size \(size)")
        }
    }
}

/// Random rows written with ``CSVWriter`` read back identically.
@Suite("CSV round trip", .timeLimit(.minutes(10)))
struct CSVRoundTripTests {
    static let pieces = ["a", "Z", "0", " ", ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", "é", "東", "👍🏽", "\u{200F}", "{\"k\": 1}", "", "\u{0}"]

    @Test("seeded random rows survive write then read", arguments: [1, 2, 3, 7, 4096])
    func roundTrip(chunkSize: Int) {
        var rng = SeededGenerator(seed: 0xC5F + UInt64(chunkSize))
        for delimiter in [UInt8(ascii: ","), UInt8(ascii: ";"), 0x09] {
            let columns = Int.random(in: 2...6, using: &rng)
            var rows: [[String]] = []
            for _ in 0..<60 {
                rows.append((0..<columns).map { _ in
                    (0..<Int.random(in: 0...5, using: &rng)).map { _ in CSVRoundTripTests.pieces.randomElement(using: &rng)! }.joined()
                })
            }
            var bytes: [UInt8] = Bool.random(using: &rng) ? UTF8Validation.byteOrderMark : []
            let writer = CSVWriter(delimiter: delimiter, crlf: Bool.random(using: &rng))
            for row in rows { writer.appendRow(row, into: &bytes) }
            var reader = CSVReader(source: ByteSource(bytes: bytes, chunkSize: chunkSize), file: "r.csv", delimiter: delimiter)
            var read: [[String]] = []
            while let event = reader.next() {
                guard case .row(let row) = event, row.problems.isEmpty else {
                    Issue.record("unexpected \(event)")
                    return
                }
                read.append(row.fields)
            }
            #expect(read == rows)
        }
    }
}
