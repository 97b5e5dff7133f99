/// A damaged or unsupported zip file, described for the user (no offsets or codes).
struct ZipError: Error, Sendable, Equatable, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Reads the central directory of a zip file and opens its entries as byte streams,
/// reading the file at offsets (nothing is loaded whole). Stored and deflated entries
/// are read, with or without data descriptors and extra fields; zip64 sizes and
/// offsets (parts or workbooks past 4 GB), encryption and other methods are refused.
final class ZipArchive {
    struct Entry: Sendable {
        var name: String
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: Int
        var size: Int
        var localHeaderOffset: Int
    }

    private enum Storage {
        case file(Int32)
        case memory([UInt8])
    }

    private let storage: Storage
    let length: Int
    private(set) var entries: [Entry] = []

    /// Opens `path` and reads its directory.
    convenience init(path: String) throws(ZipError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ZipError("cannot open: \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            throw ZipError("cannot read: \(String(cString: strerror(errno)))")
        }
        try self.init(storage: .file(fd), length: Int(info.st_size))
    }

    convenience init(bytes: [UInt8]) throws(ZipError) {
        try self.init(storage: .memory(bytes), length: bytes.count)
    }

    private init(storage: Storage, length: Int) throws(ZipError) {
        self.storage = storage
        self.length = length
        do {
            try readDirectory()
        } catch {
            if case .file(let fd) = storage { close(fd) }
            throw error
        }
    }

    deinit {
        if case .file(let fd) = storage { close(fd) }
    }

    /// The entry named `name`; failing that, the one whose name matches it once `\` is
    /// read as `/` and letter case is ignored (a package's part names are compared so:
    /// Excel reads `xl\workbook.xml` from zips made on Windows, and `xl/SharedStrings.xml`
    /// for a relationship to `sharedStrings.xml`).
    func entry(named name: String) -> Entry? {
        if let exact = entries.first(where: { $0.name == name }) { return exact }
        let wanted = Self.partKey(name)
        return entries.first { Self.partKey($0.name) == wanted }
    }

    /// A part name as packages compare them: `\` read as `/`, letter case ignored.
    static func partKey(_ name: String) -> String {
        String(name.map { $0 == "\\" ? "/" : $0 }).lowercased()
    }

    /// Reads up to `count` bytes at `offset` into `buffer` (from its start); the number read.
    func read(at offset: Int, count: Int, into buffer: UnsafeMutableRawBufferPointer) throws(ZipError) -> Int {
        let count = min(count, buffer.count, max(0, length - offset))
        guard count > 0 else { return 0 }
        switch storage {
        case .memory(let bytes):
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
            return count
        case .file(let fd):
            var done = 0
            while done < count {
                let n = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ZipError("cannot read: \(String(cString: strerror(errno)))")
                }
                if n == 0 { break }
                done += n
            }
            return done
        }
    }

    func bytes(at offset: Int, count: Int) throws(ZipError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let n = try out.withUnsafeMutableBytes { buffer in
            Result { () throws(ZipError) in try read(at: offset, count: count, into: buffer) }
        }.get()
        guard n == count else { throw ZipError("the file is truncated (not a whole workbook)") }
        return out
    }

    /// A stream of the entry's uncompressed bytes.
    func stream(_ entry: Entry) throws(ZipError) -> ZipEntryStream {
        let header = try bytes(at: entry.localHeaderOffset, count: 30)
        guard Self.u32(header, 0) == 0x0403_4b50 else { throw ZipError("the zip entry \(entry.name) is damaged") }
        let dataOffset = entry.localHeaderOffset + 30 + Int(Self.u16(header, 26)) + Int(Self.u16(header, 28))
        guard entry.flags & 1 == 0 else { throw ZipError("the workbook is encrypted: save it without a password") }
        guard entry.method == 0 || entry.method == 8 else {
            throw ZipError("the zip entry \(entry.name) uses an unsupported compression method (\(entry.method))")
        }
        guard dataOffset + entry.compressedSize <= length else { throw ZipError("the file is truncated (not a whole workbook)") }
        return try ZipEntryStream(archive: self, entry: entry, dataOffset: dataOffset)
    }

    /// The whole uncompressed entry (for the small parts of a workbook).
    func contents(of entry: Entry, limit: Int = 256 << 20) throws(ZipError) -> [UInt8] {
        let reader = try stream(entry)
        var out: [UInt8] = []
        out.reserveCapacity(min(entry.size, limit))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try chunk.withUnsafeMutableBytes { buffer in
                Result { () throws(ZipError) in try reader.read(into: buffer) }
            }.get()
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            guard out.count <= limit else { throw ZipError("the zip entry \(entry.name) is too large") }
        }
        return out
    }

    private func readDirectory() throws(ZipError) {
        guard length >= 22 else { throw ZipError("not a zip file (too short)") }
        let tailLength = min(length, 22 + 65535)
        let tail = try bytes(at: length - tailLength, count: tailLength)
        var end = -1
        var i = tail.count - 22
        while i >= 0 {
            if tail[i] == 0x50, Self.u32(tail, i) == 0x0605_4b50 { end = i; break }
            i -= 1
        }
        guard end >= 0 else { throw ZipError("not a zip file, or a damaged one (no central directory)") }
        let count = Int(Self.u16(tail, end + 10))
        let directorySize = Int(Self.u32(tail, end + 12))
        let directoryOffset = Int(Self.u32(tail, end + 16))
        // Only a workbook past 4 GB or 65,535 parts needs zip64 (Excel, LibreOffice and
        // openpyxl write none below that): labelport does not read those.
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw ZipError("the workbook is a zip64 archive (over 4 GB or 65,535 parts), which labelport does not read: save the sheet as CSV UTF-8")
        }
        guard directoryOffset + directorySize <= length else { throw ZipError("the file is truncated (not a whole workbook)") }
        let directory = try bytes(at: directoryOffset, count: directorySize)
        var at = 0
        entries.reserveCapacity(count)
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4b50 else {
                throw ZipError("the zip directory is damaged")
            }
            let nameLength = Int(Self.u16(directory, at + 28))
            let extraLength = Int(Self.u16(directory, at + 30))
            let commentLength = Int(Self.u16(directory, at + 32))
            guard at + 46 + nameLength <= directory.count else { throw ZipError("the zip directory is damaged") }
            let name = String(decoding: directory[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            // 0xFFFFFFFF: the real value is in a zip64 extra field (a part of 4 GB or more).
            guard Self.u32(directory, at + 20) != 0xFFFF_FFFF, Self.u32(directory, at + 24) != 0xFFFF_FFFF,
                Self.u32(directory, at + 42) != 0xFFFF_FFFF
            else {
                throw ZipError("the workbook's part \(name) is stored as zip64 (4 GB or more), which labelport does not read: save the sheet as CSV UTF-8")
            }
            entries.append(Entry(
                name: name, method: Self.u16(directory, at + 10), flags: Self.u16(directory, at + 8),
                crc: Self.u32(directory, at + 16), compressedSize: Int(Self.u32(directory, at + 20)),
                size: Int(Self.u32(directory, at + 24)), localHeaderOffset: Int(Self.u32(directory, at + 42))))
            at += 46 + nameLength + extraLength + commentLength
        }
    }

    static func u16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
    }
}
