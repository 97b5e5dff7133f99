@testable import LabelPortCore

/// Fixture files under Fixtures/input, read without Foundation.
enum InputFixtures {
    static let directory = Fixtures.directory("input")

    static func path(_ name: String) -> String { directory + name }

    static let runID = "123e4567-e89b-12d3-a456-426614174000"

    /// Every item of a fixture (the display name is the fixture's name).
    static func items(_ name: String, options: LabelInputOptions = LabelInputOptions()) throws -> [LabelInputItem] {
        var input = try LabelInput(path: path(name), displayName: name, options: options)
        var items: [LabelInputItem] = []
        while let item = input.next() { items.append(item) }
        return items
    }

    /// The rows of a fixture, or nil when any item is invalid.
    static func rows(_ name: String, options: LabelInputOptions = LabelInputOptions()) throws -> [LabelRow]? {
        var rows: [LabelRow] = []
        for item in try items(name, options: options) {
            guard case .row(let row, _) = item else { return nil }
            rows.append(row)
        }
        return rows
    }

    /// Everything validate prints for a fixture, in order, then its count line.
    static func report(_ name: String, options: LabelInputOptions = LabelInputOptions()) throws -> [String] {
        var input = try LabelInput(path: path(name), displayName: name, options: options)
        var lines: [String] = []
        let summary = InputValidator.run(&input) { lines.append($0.description) }
        lines.append(summary.line)
        return lines
    }

    static func items(bytes: [UInt8], name: String, options: LabelInputOptions = LabelInputOptions()) -> [LabelInputItem] {
        var input = LabelInput(bytes: bytes, displayName: name, options: options)
        var items: [LabelInputItem] = []
        while let item = input.next() { items.append(item) }
        return items
    }
}

/// A small deterministic generator (SplitMix64) so property tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
