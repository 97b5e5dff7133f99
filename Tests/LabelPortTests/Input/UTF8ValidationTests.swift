import Testing
@testable import LabelPortCore

/// The readers' UTF-8 check against the standard library's own validation, on byte
/// strings that mix ASCII runs (the eight-byte path) with valid and broken sequences.
@Suite("UTF-8 checks", .timeLimit(.minutes(10)))
struct UTF8ValidationTests {
    /// Pieces chosen to straddle the eight-byte words at every alignment.
    static let pieces: [[UInt8]] = [
        Array("plain ascii ".utf8), Array("a".utf8), Array("é".utf8), Array("東京".utf8), Array("👍🏽".utf8),
        [0xC3], [0xA9], [0xE2, 0x82], [0xF0, 0x9F, 0x91], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF],
    ]

    @Test("the first invalid byte is where Swift's validation says the text stops being UTF-8")
    func agreesWithTheStandardLibrary() {
        var random = SeededGenerator(seed: 7)
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &random) {
                bytes += UTF8ValidationTests.pieces.randomElement(using: &random)!
            }
            let found = bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) }
            // The longest valid prefix, by the standard library.
            var valid = bytes.count
            while valid > 0, String(validating: bytes[0..<valid], as: UTF8.self) == nil { valid -= 1 }
            if String(validating: bytes, as: UTF8.self) != nil {
                #expect(found == nil, "\(bytes)")
            } else {
                #expect(found == valid, "\(bytes)")
            }
        }
    }
}
