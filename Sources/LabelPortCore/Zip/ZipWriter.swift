import CZlib

/// Builds a zip file entry by entry (each call returns the bytes to append), deflated, byte-stable: every entry
/// carries the same fixed timestamp (1980-01-01 00:00) and no extra fields, so the same
/// entries in the same order always give the same bytes.
struct ZipWriter {
    private struct Written {
        var name: [UInt8]
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var offset: Int
    }

    private var written: [Written] = []
    private var offset = 0

    init() {}

    /// An entry holding `contents`, deflated: the bytes to append to the file.
    mutating func add(_ name: String, _ contents: [UInt8]) throws -> [UInt8] {
        let crc = contents.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: crc32(0, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count)))
        }
        let compressed = try Self.deflate(contents)
        let nameBytes = Array(name.utf8)
        var header: [UInt8] = []
        header.reserveCapacity(30 + nameBytes.count)
        Self.append32(0x0403_4b50, to: &header)
        Self.append16(20, to: &header)  // version needed: 2.0
        Self.append16(0x0800, to: &header)  // flags: names are UTF-8
        Self.append16(8, to: &header)  // deflate
        Self.append16(0, to: &header)  // time 00:00
        Self.append16(0x21, to: &header)  // date 1980-01-01
        Self.append32(crc, to: &header)
        Self.append32(UInt32(compressed.count), to: &header)
        Self.append32(UInt32(contents.count), to: &header)
        Self.append16(UInt16(nameBytes.count), to: &header)
        Self.append16(0, to: &header)
        header += nameBytes
        written.append(Written(name: nameBytes, crc: crc, compressedSize: compressed.count, size: contents.count, offset: offset))
        offset += header.count + compressed.count
        return header + compressed
    }

    /// The central directory, which completes the file.
    func finish() -> [UInt8] {
        var directory: [UInt8] = []
        for entry in written {
            Self.append32(0x0201_4b50, to: &directory)
            Self.append16(20, to: &directory)  // made by: MS-DOS, 2.0
            Self.append16(20, to: &directory)
            Self.append16(0x0800, to: &directory)
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

    /// Raw deflate (no zlib header), as zip stores it.
    static func deflate(_ input: [UInt8]) throws -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard deflateInit2_(stream, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ZipError("cannot compress")
        }
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
        let status = input.withUnsafeBytes { raw in
            output.withUnsafeMutableBytes { out in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: raw.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.pointee.avail_in = uInt(raw.count)
                stream.pointee.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(out.count)
                return CZlib.deflate(stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZipError("cannot compress") }
        output.removeSubrange(Int(stream.pointee.total_out)...)
        return output
    }

    static func append16(_ value: UInt16, to out: inout [UInt8]) {
        out.append(UInt8(value & 0xFF))
        out.append(UInt8(value >> 8))
    }

    static func append32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
