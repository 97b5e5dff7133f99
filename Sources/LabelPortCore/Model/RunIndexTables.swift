/// Where a label's name and id bytes are: a finished ``CompactRun`` or one being built.
protocol LabelKeyBytes {
    func nameBytes(_ index: Int) -> UnsafeRawBufferPointer
    func idBytes(_ index: Int) -> UnsafeRawBufferPointer
}

/// The tables of a ``CompactRunIndex``: open-addressed slots of label indices by the
/// hash of the id (letter case aside) and of the name (exact bytes), a few bytes per
/// label, where dictionaries of strings would cost more than the labels.
///
/// Built in two steps: ``add(_:)`` hashes each label as it is read (while a big run's
/// answer is still arriving, the network being the wait), ``finish(_:)`` then fills the
/// tables from those hashes alone: one random slot per label, the cache misses of one
/// loop overlapping, and the labels' bytes read only when two hashes are equal.
struct RunIndexTables: Sendable {
    let byName: Bool
    let byID: Bool
    /// Slots of label indices (-1: empty), by the hash of the lower-cased id.
    private var idSlots: [Int32] = []
    /// Slots of the first label of each name (-1: empty), by the hash of the name.
    private var nameSlots: [Int32] = []
    /// The next label with the same name, in answer order (-1: none).
    private var nextSameName: [Int32] = []
    private var mask = 0
    /// Each label's hashes, until ``finish(_:)``.
    private var idHashes: [UInt32] = []
    private var nameHashes: [UInt32] = []
    /// Labels added.
    private(set) var count = 0
    /// Labels whose id (letter case aside) an earlier label has: they replace it in
    /// ``index(ofID:in:)``.
    private(set) var repeatedIDs: [Int] = []
    private let seed = Self.seed

    /// Tables for about `capacity` labels (a hint: they take any number).
    init(byName: Bool, byID: Bool, capacity: Int = 0) {
        self.byName = byName
        self.byID = byID
        if byID { idHashes.reserveCapacity(capacity) }
        if byName { nameHashes.reserveCapacity(capacity) }
    }

    /// Hashes the next label (index ``count``) of `keys`.
    mutating func add(_ keys: some LabelKeyBytes) {
        if byID { idHashes.append(UInt32(truncatingIfNeeded: Self.idHash(keys.idBytes(count), seed: seed))) }
        if byName { nameHashes.append(UInt32(truncatingIfNeeded: Self.hash(keys.nameBytes(count), seed: seed))) }
        count += 1
    }

    /// Fills the tables (at most half full: probes stay short) from the labels' hashes.
    mutating func finish(_ keys: some LabelKeyBytes) {
        var size = 16
        while size < count * 2 { size <<= 1 }
        mask = size - 1
        if byID {
            idSlots = [Int32](repeating: -1, count: size)
            for index in 0..<count {
                let hash = idHashes[index]
                var slot = Int(hash) & mask
                while idSlots[slot] >= 0 {
                    let other = Int(idSlots[slot])
                    if idHashes[other] == hash, Self.sameID(keys.idBytes(other), keys.idBytes(index)) {
                        repeatedIDs.append(index)  // a later label with the id replaces the earlier
                        break
                    }
                    slot = (slot + 1) & mask
                }
                idSlots[slot] = Int32(index)
            }
            idHashes = []
        }
        if byName {
            nameSlots = [Int32](repeating: -1, count: size)
            nextSameName = [Int32](repeating: -1, count: count)
            var lastSameName = [Int32](repeating: -1, count: count)
            for index in 0..<count {
                let hash = nameHashes[index]
                var slot = Int(hash) & mask
                while nameSlots[slot] >= 0 {
                    let other = Int(nameSlots[slot])
                    if nameHashes[other] == hash, CompactRun.order(keys.nameBytes(other), keys.nameBytes(index)) == 0 { break }
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
            nameHashes = []
        }
    }

    /// The label whose id is `id`, letter case aside.
    func index(ofID id: UnsafeRawBufferPointer, in keys: some LabelKeyBytes) -> Int? {
        guard byID else { return nil }
        var slot = Int(UInt32(truncatingIfNeeded: Self.idHash(id, seed: seed))) & mask
        while idSlots[slot] >= 0 {
            let index = Int(idSlots[slot])
            if Self.sameID(keys.idBytes(index), id) { return index }
            slot = (slot + 1) & mask
        }
        return nil
    }

    /// The labels named `name` (exact bytes), in answer order.
    func indices(named name: UnsafeRawBufferPointer, in keys: some LabelKeyBytes) -> [Int] {
        guard byName else { return [] }
        var slot = Int(UInt32(truncatingIfNeeded: Self.hash(name, seed: seed))) & mask
        while nameSlots[slot] >= 0 {
            var index = Int(nameSlots[slot])
            if CompactRun.order(keys.nameBytes(index), name) == 0 {
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

    // MARK: Keys

    /// An id as it is matched: lower-cased (ASCII byte by byte; anything else as
    /// `String.lowercased()` does, as the planner always matched ids). Only built for an
    /// id that is not ASCII: ``idHash(_:seed:)`` and ``sameID(_:_:)`` fold ASCII in place.
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
    static func idHash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> Int {
        if let hash = hash(bytes, seed: seed, foldingCase: true) { return hash }
        return idKey(bytes).withUnsafeBytes { hash($0, seed: seed) }  // not ASCII: as Swift lower-cases it
    }

    /// True when two ids match (letter case aside).
    private static func sameID(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        if CompactRun.order(a, b) == 0 { return true }
        guard isASCII(a), isASCII(b) else { return idKey(a) == idKey(b) }
        guard a.count == b.count else { return false }
        for i in 0..<a.count where lower(a[i]) != lower(b[i]) { return false }
        return true
    }

    /// The hash of a name (exact bytes).
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64) -> Int {
        hash(bytes, seed: seed, foldingCase: false)!
    }

    /// Chosen per process, so that names a server sends cannot be picked to collide.
    static let seed = UInt64.random(in: .min ... .max)

    /// A keyed hash of `bytes`, eight at a time (each word folded into the state by a
    /// full-width multiply, as wyhash does): several times faster than `Hasher` (SipHash)
    /// on names and ids. `foldingCase` hashes ASCII letters as lower case, and gives nil
    /// for bytes that are not ASCII.
    @inline(__always)
    private static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64, foldingCase: Bool) -> Int? {
        let highBits: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func word(_ word: UInt64) -> UInt64? {
            guard foldingCase else { return word }
            guard word & highBits == 0 else { return nil }
            // 0x20 added to each byte in "A"..."Z": a byte's top bit is set by +0x3F from
            // "A" up and by +0x25 from "[" up (no carry crosses bytes below 0x80).
            let upper = (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & highBits
            return word | upper >> 2
        }
        @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
            let (high, low) = a.multipliedFullWidth(by: b)
            return high ^ low
        }
        var state = mix(seed ^ UInt64(bytes.count), 0x9E37_79B9_7F4A_7C15)
        var offset = 0
        while offset + 8 <= bytes.count {
            guard let next = word(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) else { return nil }
            state = mix(state ^ next, 0xA076_1D64_78BD_642F)
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for i in offset..<bytes.count { tail |= UInt64(bytes[i]) << (8 * UInt64(i - offset)) }
            guard let next = word(tail) else { return nil }
            state = mix(state ^ next, 0xE703_7ED1_A0B4_28DB)
        }
        return Int(truncatingIfNeeded: mix(state, 0x8EBC_6AF0_9C88_C6E3))
    }
}
