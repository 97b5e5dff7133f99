/// Builds a zip file entry by entry (each call returns the bytes to append), deflated,
/// byte-stable: every entry carries the same fixed timestamp (1980-01-01 00:00) and no
/// extra fields, so the same entries in the same order always give the same bytes.
///
/// Small entries are added whole (``add(_:_:)``); a large one is streamed
/// (``beginEntry(_:)``, then its bytes through a ``ZipDeflater``, then
/// ``endEntry(_:)``): its local header carries no sizes, a data descriptor after the
/// data does, so the output is written front to back and never sought back into.
struct ZipWriter {
    private struct Written {
        var name: [UInt8]
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var offset: Int
    }

    /// Names are UTF-8 (bit 11).
    private static let utf8Names: UInt16 = 0x0800
    /// Sizes and CRC follow the data in a data descriptor (bit 3).
    private static let dataDescriptor: UInt16 = 0x0008
    /// The most a plain (not zip64) zip records of an entry's size or offset.
    static let sizeLimit = Int(UInt32.max) - 1

    private var written: [Written] = []
    private var offset = 0
    /// The streamed entry begun and not yet ended: its name and local header's offset.
    private var open: (name: [UInt8], offset: Int)?

    init() {}

    /// An entry holding `contents`, deflated: the bytes to append to the file.
    mutating func add(_ name: String, _ contents: [UInt8]) throws(ZipError) -> [UInt8] {
        precondition(open == nil, "add while a streamed entry is open")
        let deflater = try ZipDeflater()
        var compressed: [UInt8] = []
        try deflater.finish(contents, into: &compressed)
        let nameBytes = Array(name.utf8)
        var header = localHeader(nameBytes, flags: Self.utf8Names, crc: deflater.crc, compressedSize: compressed.count, size: contents.count)
        try record(Written(name: nameBytes, flags: Self.utf8Names, crc: deflater.crc, compressedSize: compressed.count, size: contents.count, offset: offset))
        offset += header.count + compressed.count
        header += compressed
        return header
    }

    /// The local header of a streamed entry named `name`: the bytes to append before
    /// the entry's compressed bytes.
    mutating func beginEntry(_ name: String) -> [UInt8] {
        precondition(open == nil, "begin while a streamed entry is open")
        let nameBytes = Array(name.utf8)
        let header = localHeader(nameBytes, flags: Self.utf8Names | Self.dataDescriptor, crc: 0, compressedSize: 0, size: 0)
        open = (nameBytes, offset)
        offset += header.count
        return header
    }

    /// The data descriptor that ends the streamed entry whose bytes went through
    /// `deflater` (finished): the bytes to append after its compressed bytes.
    mutating func endEntry(_ deflater: ZipDeflater) throws(ZipError) -> [UInt8] {
        guard let entry = open else { preconditionFailure("end without begin") }
        open = nil
        offset += deflater.compressedSize
        try record(Written(name: entry.name, flags: Self.utf8Names | Self.dataDescriptor, crc: deflater.crc,
                           compressedSize: deflater.compressedSize, size: deflater.size, offset: entry.offset))
        var descriptor: [UInt8] = []
        Self.append32(0x0807_4b50, to: &descriptor)
        Self.append32(deflater.crc, to: &descriptor)
        Self.append32(UInt32(deflater.compressedSize), to: &descriptor)
        Self.append32(UInt32(deflater.size), to: &descriptor)
        offset += descriptor.count
        return descriptor
    }

    /// Keeps `entry` for the central directory; refuses what only zip64 could record.
    private mutating func record(_ entry: Written) throws(ZipError) {
        guard entry.size <= Self.sizeLimit, entry.compressedSize <= Self.sizeLimit, entry.offset <= Self.sizeLimit else {
            throw ZipError("the sheet is larger than 4 GB, more than an xlsx file without zip64 holds: export as CSV or JSONL")
        }
        written.append(entry)
    }

    private func localHeader(_ name: [UInt8], flags: UInt16, crc: UInt32, compressedSize: Int, size: Int) -> [UInt8] {
        var header: [UInt8] = []
        header.reserveCapacity(30 + name.count)
        Self.append32(0x0403_4b50, to: &header)
        Self.append16(20, to: &header)  // version needed: 2.0
        Self.append16(flags, to: &header)
        Self.append16(8, to: &header)  // deflate
        Self.append16(0, to: &header)  // time 00:00
        Self.append16(0x21, to: &header)  // date 1980-01-01
        Self.append32(crc, to: &header)
        Self.append32(UInt32(compressedSize), to: &header)
        Self.append32(UInt32(size), to: &header)
        Self.append16(UInt16(name.count), to: &header)
        Self.append16(0, to: &header)
        header += name
        return header
    }

    /// The central directory, which completes the file.
    func finish() throws(ZipError) -> [UInt8] {
        precondition(open == nil, "finish while a streamed entry is open")
        guard written.count <= Int(UInt16.max) - 1, offset <= Self.sizeLimit else {
            throw ZipError("the workbook is larger than an xlsx file without zip64 holds: export as CSV or JSONL")
        }
        var directory: [UInt8] = []
        for entry in written {
            Self.append32(0x0201_4b50, to: &directory)
            Self.append16(20, to: &directory)  // made by: MS-DOS, 2.0
            Self.append16(20, to: &directory)
            Self.append16(entry.flags, to: &directory)
            Self.append16(8, to: &directory)
            Self.append16(0, to: &directory)
            Self.append16(0x21, to: &directory)
            Self.append32(entry.crc, to: &directory)
            Self.append32(UInt32(entry.compressedSize), to: &directory)
            Self.append32(UInt32(entry.size), to: &directory)
            Self.append16(UInt16(entry.name.count), to: &directory)
            Self.append16(0, to: &directory)  // extra
            Self.append16(0, to: &directory)  // comment
            Self.append16(0, to: &directory)  // disk
            Self.append16(0, to: &directory)  // internal attributes
            Self.append32(0, to: &directory)  // external attributes
            Self.append32(UInt32(entry.offset), to: &directory)
            directory += entry.name
        }
        let directorySize = directory.count
        Self.append32(0x0605_4b50, to: &directory)
        Self.append16(0, to: &directory)
        Self.append16(0, to: &directory)
        Self.append16(UInt16(written.count), to: &directory)
        Self.append16(UInt16(written.count), to: &directory)
        Self.append32(UInt32(directorySize), to: &directory)
        Self.append32(UInt32(offset), to: &directory)
        Self.append16(0, to: &directory)
        return directory
    }

    static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value & 0xFF))
        out.append(UInt8(value >> 8))
    }

    static func append32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
