/// Bytes stored back to back in large blocks: what a compact run keeps of its labels.
/// A block is never moved or grown, so adding bytes never copies what is stored (a
/// growing array would, and would briefly hold both copies); a block's pages take
/// memory only as they are filled.
///
/// `@unchecked Sendable` is safe: only ``CompactRun/Builder`` appends, before any
/// ``CompactRun`` shares the arena; from then on it is only read.
package final class ByteArena: @unchecked Sendable {
    /// One block's size: large enough that the block list stays short, small enough that
    /// the unused tail of the last one is negligible next to a big run.
    static let blockSize = 1 << 20

    private var blocks: [UnsafeMutableRawPointer] = []
    /// Bytes used in the last block, and its size.
    private var used = 0
    private var capacity = 0
    /// Bytes stored, for statistics.
    private(set) var storedBytes = 0

    init() {}

    deinit {
        for block in blocks { block.deallocate() }
    }

    /// Room for `count` contiguous bytes: where they go (block, offset) and a pointer to
    /// write them to. A request larger than a block gets a block of its own.
    func reserve(_ count: Int) -> (block: Int, offset: Int, pointer: UnsafeMutableRawPointer) {
        if capacity - used < count {
            let size = max(count, Self.blockSize)
            blocks.append(UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8))
            used = 0
            capacity = size
        }
        let offset = used
        used += count
        storedBytes += count
        return (blocks.count - 1, offset, blocks[blocks.count - 1] + offset)
    }

    /// The `count` bytes at `offset` of `block`.
    @inline(__always)
    func bytes(block: Int, offset: Int, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: blocks[block] + offset, count: count)
    }
}
