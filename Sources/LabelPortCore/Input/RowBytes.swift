/// The bytes of the CSV row being read: a growable buffer appended to with `memcpy`,
/// cheaper than `[UInt8].append(contentsOf:)` for the many short runs a row is made of.
///
/// Copies share one buffer (the class below owns it), like the reader's file position:
/// a ``CSVReader`` is used in place, never copied while reading.
struct RowBytes {
    private final class Storage {
        var base: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { base = .allocate(capacity: capacity) }
        deinit { base.deallocate() }
    }

    private let storage: Storage
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 4096) {
        storage = Storage(capacity: capacity)
        base = storage.base
        self.capacity = capacity
    }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        if count + bytes.count > capacity { grow(count + bytes.count) }
        (base + count).update(from: bytes.baseAddress!, count: bytes.count)
        count += bytes.count
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(count + 1) }
        base[count] = byte
        count += 1
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        storage.base.deallocate()
        storage.base = newBase
        base = newBase
        capacity = newCapacity
    }

    mutating func removeAll() { count = 0 }

    /// A copy of some bytes (for locating problems, which is rare).
    subscript(range: Range<Int>) -> ArraySlice<UInt8> {
        ArraySlice(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count))
    }

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
