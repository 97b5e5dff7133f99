/// The cells of one CSV row as bytes: every cell's content back to back (quotes removed,
/// doubled quotes made single), and where each cell ends. A row costs two allocations,
/// and a `String` is made only for a cell that needs one (a name, a text value); a UUID,
/// a boolean or an object's JSON is read from the bytes directly.
package struct CSVCells: Sendable, Equatable {
    /// The content of all cells, one after another.
    private(set) var bytes: [UInt8]
    /// Per cell: its end offset in `bytes` shifted left by one, the low bit set when the
    /// cell was quoted in the file (kept only to locate problems; not part of equality).
    private(set) var marks: [Int]

    /// Cells holding `fields`, as if none was quoted.
    package init(_ fields: [String]) {
        var bytes: [UInt8] = []
        var marks: [Int] = []
        marks.reserveCapacity(fields.count)
        for field in fields {
            bytes.append(contentsOf: field.utf8)
            marks.append(bytes.count << 1)
        }
        self.init(bytes: bytes, marks: marks)
    }

    init(bytes: [UInt8], marks: [Int]) {
        self.bytes = bytes
        self.marks = marks
    }

    package var count: Int { marks.count }

    /// Every cell is empty (a row of only delimiters).
    var allEmpty: Bool { bytes.isEmpty }

    /// Each cell as text (bytes that are not UTF-8 show as U+FFFD; rows holding them are
    /// reported invalid before anything reads them as values).
    package var fields: [String] { (0..<count).map(field) }

    package func field(_ index: Int) -> String {
        bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(index)]), as: UTF8.self) }
    }

    @inline(__always)
    func range(_ index: Int) -> Range<Int> {
        (index == 0 ? 0 : marks[index - 1] >> 1)..<(marks[index] >> 1)
    }

    @inline(__always)
    func isEmpty(_ index: Int) -> Bool { range(index).isEmpty }

    func isQuoted(_ index: Int) -> Bool { marks[index] & 1 == 1 }

    /// Calls `body` with the bytes of cell `index`.
    @inline(__always)
    func withCell<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let range = range(index)
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// Whether cell `index` holds exactly `other`.
    @inline(__always)
    func cell(_ index: Int, equals other: [UInt8]) -> Bool {
        let range = range(index)
        guard range.count == other.count else { return false }
        if range.isEmpty { return true }
        return bytes.withUnsafeBytes { mine in
            other.withUnsafeBytes { theirs in
                memcmp(mine.baseAddress! + range.lowerBound, theirs.baseAddress!, range.count) == 0
            }
        }
    }

    /// The cells as slices and quoted flags, as ``CSVLocator`` takes them (problems only).
    var located: (cells: [ArraySlice<UInt8>], quoted: [Bool]) {
        ((0..<count).map { bytes[range($0)] }, (0..<count).map(isQuoted))
    }

    package static func == (lhs: CSVCells, rhs: CSVCells) -> Bool {
        lhs.bytes == rhs.bytes && lhs.marks.count == rhs.marks.count
            && zip(lhs.marks, rhs.marks).allSatisfy { $0 >> 1 == $1 >> 1 }
    }
}
