/// Finds a ``CompactRun``'s labels by id (letter case aside, as ids are matched) and by
/// output_resource_name (exact bytes): open-addressed tables of label indices, a few
/// bytes per label, where dictionaries of strings would cost more than the labels.
package struct CompactRunIndex: Sendable {
    package let run: CompactRun
    /// Slots of label indices (-1: empty), by the hash of the lower-cased id.
    private let idSlots: [Int32]
    /// Slots of the first label of each name (-1: empty), by the hash of the name.
    private let nameSlots: [Int32]
    /// The next label with the same name, in answer order (-1: none).
    private let nextSameName: [Int32]
    private let mask: Int
    /// Labels whose id (letter case aside) an earlier label has: they replace it in
    /// ``index(ofID:)``.
    package let repeatedIDs: [Int]

    /// Without `byName`, only ids are indexed (``indices(named:)`` finds nothing); without
    /// `byID`, only names (``index(ofID:)`` finds nothing, ``repeatedIDs`` is empty).
    package init(_ run: CompactRun, byName: Bool = true, byID: Bool = true) {
        self.run = run
        // At most half full: probes stay short.
        var size = 16
        while size < run.count * 2 { size <<= 1 }
        mask = size - 1
        var idSlots = [Int32](repeating: -1, count: byID ? size : 0)
        var nameSlots = [Int32](repeating: -1, count: byName ? size : 0)
        var lastSameName = [Int32](repeating: -1, count: byName ? run.count : 0)
        var nextSameName = [Int32](repeating: -1, count: byName ? run.count : 0)
        var repeatedIDs: [Int] = []
        // Home slots first, then the tables: the insert loops are then short enough that
        // the processor overlaps their cache misses (one random slot per label, in tables
        // of megabytes), which a loop that also hashes cannot.
        var hashes = [UInt32](repeating: 0, count: run.count)
        if byID { for index in run.indices { hashes[index] = UInt32(Self.idHash(run.idBytes(index)) & mask) } }
        for index in run.indices where byID {
            let id = run.idBytes(index)
            var slot = Int(hashes[index])
            while idSlots[slot] >= 0 {
                if Self.sameID(run.idBytes(Int(idSlots[slot])), id) {
                    repeatedIDs.append(index)  // a later label with the id replaces the earlier
                    break
                }
                slot = (slot + 1) & mask
            }
            idSlots[slot] = Int32(index)
        }
        if byName {
            for index in run.indices { hashes[index] = UInt32(Self.hash(run.nameBytes(index)) & mask) }
            for index in run.indices {
                let name = run.nameBytes(index)
                var slot = Int(hashes[index])
                while nameSlots[slot] >= 0, CompactRun.order(run.nameBytes(Int(nameSlots[slot])), name) != 0 {
                    slot = (slot + 1) & mask
                }
                if nameSlots[slot] < 0 {
                    nameSlots[slot] = Int32(index)
                    lastSameName[index] = Int32(index)
                } else {
                    let first = Int(nameSlots[slot])
                    nextSameName[Int(lastSameName[first])] = Int32(index)
                    lastSameName[first] = Int32(index)
                }
            }
        }
        self.idSlots = idSlots
        self.nameSlots = nameSlots
        self.nextSameName = nextSameName
        self.repeatedIDs = repeatedIDs
    }

    /// The label whose id is `id`, letter case aside.
    package func index(ofID id: String) -> Int? {
        guard !idSlots.isEmpty else { return nil }
        var text = id
        return text.withUTF8 { raw in
            let key = UnsafeRawBufferPointer(raw)
            var slot = Self.idHash(key) & mask
            while idSlots[slot] >= 0 {
                let index = Int(idSlots[slot])
                if Self.sameID(run.idBytes(index), key) { return index }
                slot = (slot + 1) & mask
            }
            return nil
        }
    }

    /// The label named `name` when the run has exactly one (a name it holds several times
    /// is ambiguous).
    package func onlyIndex(named name: String) -> Int? {
        let found = indices(named: name)
        return found.count == 1 ? found[0] : nil
    }

    /// The labels named `name` (exact bytes), in answer order.
    package func indices(named name: String) -> [Int] {
        guard !nameSlots.isEmpty else { return [] }
        var text = name
        return text.withUTF8 { raw in
            let name = UnsafeRawBufferPointer(raw)
            var slot = Self.hash(name) & mask
            while nameSlots[slot] >= 0 {
                var index = Int(nameSlots[slot])
                if CompactRun.order(run.nameBytes(index), name) == 0 {
                    var found = [index]
                    while nextSameName[index] >= 0 {
                        index = Int(nextSameName[index])
                        found.append(index)
                    }
                    return found
                }
                slot = (slot + 1) & mask
            }
            return []
        }
    }

    /// An id as it is matched: lower-cased (ASCII byte by byte; anything else as
    /// `String.lowercased()` does, as the planner always matched ids). Only built for an
    /// id that is not ASCII: ``idHash(_:)`` and ``sameID(_:_:)`` fold ASCII in place.
    private static func idKey(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        Array(String(decoding: bytes, as: UTF8.self).lowercased().utf8)
    }

    @inline(__always)
    private static func isASCII(_ bytes: UnsafeRawBufferPointer) -> Bool {
        !bytes.contains { $0 >= 0x80 }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }

    /// The hash of an id as it is matched (letter case aside).
    private static func idHash(_ bytes: UnsafeRawBufferPointer) -> Int {
        // Most ids (UUIDs as servers write them) have nothing to fold.
        if !bytes.contains(where: { $0 >= 0x80 || $0 &- 0x41 < 26 }) { return hash(bytes) }
        guard isASCII(bytes) else { return idKey(bytes).withUnsafeBytes(hash) }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bytes.count) { lowered in
            for (i, byte) in bytes.enumerated() { lowered[i] = lower(byte) }
            return hash(UnsafeRawBufferPointer(lowered))
        }
    }

    /// True when two ids match (letter case aside).
    private static func sameID(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        if CompactRun.order(a, b) == 0 { return true }
        guard isASCII(a), isASCII(b) else { return idKey(a) == idKey(b) }
        guard a.count == b.count else { return false }
        for i in 0..<a.count where lower(a[i]) != lower(b[i]) { return false }
        return true
    }

    private static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: bytes)
        return hasher.finalize()
    }
}
