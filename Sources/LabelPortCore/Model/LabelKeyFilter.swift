/// The names and ids an import's rows look up in one run. Reading the run through one
/// keeps only the labels that hold one of them: the planner never asks for any other, so
/// planning a few rows into a run of a million labels keeps a few labels, not the million.
///
/// Kept as hashes (``RunIndexTables``' keyed hashes, the id's letter case aside): a label
/// kept by a collision is only a label kept, never one lost. A filter of more than
/// ``maximumKeys`` gives up (``keepsAll``): every label is kept, as without one.
package struct LabelKeyFilter: Sendable, Equatable {
    /// 32 bits of each key's hash: half the memory of a full word, and a collision only
    /// keeps a label more.
    private var hashes: Set<UInt32> = []
    /// True once more keys were added than ``maximumKeys``.
    package private(set) var keepsAll = false

    /// Past this many keys (about 1.5 MB of hashes) the rows name so much of the run that
    /// filtering it saves little: the filter then keeps every label.
    static let maximumKeys = 1 << 18

    package init() {}

    package mutating func insert(name: String) {
        var name = name
        name.withUTF8 { insert(RunIndexTables.hash(UnsafeRawBufferPointer($0), seed: RunIndexTables.seed)) }
    }

    package mutating func insert(id: String) {
        var id = id
        id.withUTF8 { insert(RunIndexTables.idHash(UnsafeRawBufferPointer($0), seed: RunIndexTables.seed)) }
    }

    /// The row's name and id (a row of `--mode create` looks up its name too).
    package mutating func insert(_ row: LabelRow) {
        insert(name: row.outputResourceName)
        if let id = row.id { insert(id: id) }
    }

    private mutating func insert(_ hash: Int) {
        guard !keepsAll else { return }
        hashes.insert(UInt32(truncatingIfNeeded: hash))
        if hashes.count > Self.maximumKeys {
            keepsAll = true
            hashes = []
        }
    }

    /// True when a label named `name` (exact bytes) with id `id` (UTF-8) is to be kept.
    @inline(__always)
    func keeps(name: UnsafeRawBufferPointer, id: UnsafeRawBufferPointer) -> Bool {
        keepsAll
            || hashes.contains(UInt32(truncatingIfNeeded: RunIndexTables.hash(name, seed: RunIndexTables.seed)))
            || hashes.contains(UInt32(truncatingIfNeeded: RunIndexTables.idHash(id, seed: RunIndexTables.seed)))
    }
}
