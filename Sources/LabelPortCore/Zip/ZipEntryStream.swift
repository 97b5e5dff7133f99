import CZlib

/// The uncompressed bytes of one zip entry, pulled a buffer at a time: compressed bytes
/// are read from the archive 64 KiB at a time and inflated into the caller's buffer, so
/// memory does not depend on the entry's size. The CRC is checked at the end.
final class ZipEntryStream {
    private let archive: ZipArchive
    private let entry: ZipArchive.Entry
    private var nextOffset: Int
    private var compressedLeft: Int
    private var input: UnsafeMutableRawBufferPointer
    private let stream: UnsafeMutablePointer<z_stream>
    private var inflating: Bool
    private var finished = false
    private var crc: UInt = 0
    private var produced = 0

    init(archive: ZipArchive, entry: ZipArchive.Entry, dataOffset: Int) throws(ZipError) {
        self.archive = archive
        self.entry = entry
        self.nextOffset = dataOffset
        self.compressedLeft = entry.compressedSize
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        self.stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        self.stream.initialize(to: z_stream())
        self.inflating = entry.method == 8
        if inflating {
            let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
            guard status == Z_OK else {
                inflating = false
                throw ZipError("cannot start reading the zip entry \(entry.name)")
            }
        }
    }

    deinit {
        if entry.method == 8 { inflateEnd(stream) }
        stream.deallocate()
        input.deallocate()
    }

    /// Fills `buffer` with the next bytes; 0 at the end of the entry.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        let n = inflating ? try inflateSome(into: buffer) : try copySome(into: buffer)
        if n > 0 {
            crc = crc32(crc, buffer.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(n))
            produced += n
        }
        if finished {
            guard produced == entry.size, UInt32(truncatingIfNeeded: crc) == entry.crc else {
                throw ZipError("the zip entry \(entry.name) is damaged (its checksum does not match)")
            }
        }
        return n
    }

    private func copySome(into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        let n = try archive.read(at: nextOffset, count: min(buffer.count, compressedLeft), into: buffer)
        nextOffset += n
        compressedLeft -= n
        if compressedLeft == 0 || n == 0 { finished = true }
        return n
    }

    private func inflateSome(into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(buffer.count)
        while stream.pointee.avail_out > 0 {
            if stream.pointee.avail_in == 0, compressedLeft > 0 {
                let n = try archive.read(at: nextOffset, count: min(input.count, compressedLeft), into: input)
                guard n > 0 else { throw ZipError("the file is truncated (not a whole workbook)") }
                nextOffset += n
                compressedLeft -= n
                stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_in = uInt(n)
            }
            let status = inflate(stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                finished = true
                break
            }
            guard status == Z_OK || (status == Z_BUF_ERROR && stream.pointee.avail_in == 0 && compressedLeft > 0) else {
                throw ZipError("the zip entry \(entry.name) is damaged (it does not decompress)")
            }
            if stream.pointee.avail_in == 0, compressedLeft == 0, status != Z_OK {
                throw ZipError("the zip entry \(entry.name) is damaged (it ends early)")
            }
        }
        return buffer.count - Int(stream.pointee.avail_out)
    }
}
