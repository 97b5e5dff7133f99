import CZlib

/// Raw deflate (no zlib header, as zip stores it) fed a piece at a time: each call
/// returns the compressed bytes ready so far, so an entry of any size is compressed in
/// a fixed amount of memory. Counts the CRC-32 and both sizes for the zip records.
///
/// One owner at a time: not `Sendable`.
final class ZipDeflater {
    /// zlib's default level: the compression XlsxWriter and Python's zipfile use too.
    static let level: Int32 = 6
    /// Compressed bytes are drained in pieces of this size (zlib's own buffer is ~256 KiB).
    private static let outputChunk = 64 * 1024

    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private(set) var crc: UInt32 = 0
    private(set) var size = 0
    private(set) var compressedSize = 0
    private var finished = false

    init() throws(ZipError) {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // Raw deflate (window bits -15), zlib's default memory level 8.
        let status = deflateInit2_(stream, Self.level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw ZipError("cannot compress")
        }
        self.stream = stream
        output = [UInt8](repeating: 0, count: Self.outputChunk)
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input` and appends the compressed bytes ready so far to `out`.
    func compress(_ input: [UInt8], into out: inout [UInt8]) throws(ZipError) {
        try run(input, flush: Z_NO_FLUSH, into: &out)
    }

    /// Compresses `input`, ends the stream and appends the rest of the compressed bytes.
    func finish(_ input: [UInt8] = [], into out: inout [UInt8]) throws(ZipError) {
        try run(input, flush: Z_FINISH, into: &out)
        finished = true
    }

    private func run(_ input: [UInt8], flush: Int32, into out: inout [UInt8]) throws(ZipError) {
        precondition(!finished, "compress after finish")
        let stream = self.stream
        var status: Int32 = Z_OK
        input.withUnsafeBytes { raw in
            let start = raw.baseAddress?.assumingMemoryBound(to: Bytef.self)
            if let start, raw.count > 0 {
                crc = UInt32(truncatingIfNeeded: CZlib.crc32(uLong(crc), start, uInt(raw.count)))
            }
            stream.pointee.next_in = UnsafeMutablePointer(mutating: start)
            stream.pointee.avail_in = uInt(raw.count)
            output.withUnsafeMutableBytes { buffer in
                // zlib's own loop (zpipe.c): call again while it fills the whole buffer.
                repeat {
                    stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(buffer.count)
                    status = CZlib.deflate(stream, flush)
                    if status == Z_STREAM_ERROR { return }
                    out.append(contentsOf: buffer.prefix(buffer.count - Int(stream.pointee.avail_out)))
                } while stream.pointee.avail_out == 0
            }
        }
        guard status != Z_STREAM_ERROR, stream.pointee.avail_in == 0, flush != Z_FINISH || status == Z_STREAM_END else {
            throw ZipError("cannot compress")
        }
        size += input.count
        compressedSize = Int(stream.pointee.total_out)
    }
}
