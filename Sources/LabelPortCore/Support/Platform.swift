#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif

/// The system calls labelport makes itself, named once for Linux (Glibc) and macOS
/// (Darwin): the rest of the code calls these instead of qualifying a C library module.
package enum Platform {
    /// `read(2)`: bytes read, 0 at the end, -1 on error (see ``errno``).
    package static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.read(fd, buffer, count)
        #else
        Darwin.read(fd, buffer, count)
        #endif
    }

    /// `write(2)`: bytes written, -1 on error (see ``errno``).
    package static func write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
        #if canImport(Glibc)
        Glibc.write(fd, buffer, count)
        #else
        Darwin.write(fd, buffer, count)
        #endif
    }

    /// Writes all of `bytes` to `fd`, again after an interruption; gives up silently on
    /// another error (for stderr and stdout, where there is nowhere to say it).
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }

    /// `open(2)` for reading (close-on-exec): the descriptor, or -1 (see ``errno``).
    package static func openForReading(_ path: String) -> Int32 {
        #if canImport(Glibc)
        Glibc.open(path, O_RDONLY | O_CLOEXEC)
        #else
        Darwin.open(path, O_RDONLY | O_CLOEXEC)
        #endif
    }

    /// The bytes of an IP address written as text (`inet_pton(3)`): 4 for IPv4, 16 for
    /// IPv6; nil when `text` is not an address.
    package static func ipAddressBytes(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1 { return v4 }
        var v6 = [UInt8](repeating: 0, count: 16)
        if v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 { return v6 }
        return nil
    }

    /// `close(2)`.
    @discardableResult
    package static func close(_ fd: Int32) -> Int32 {
        #if canImport(Glibc)
        Glibc.close(fd)
        #else
        Darwin.close(fd)
        #endif
    }

    /// Starts writing `count` bytes of `fd` from `offset` to disk without waiting, so that
    /// a later `fsync` has little left to wait for (Linux: `posix_fadvise` with
    /// `POSIX_FADV_DONTNEED`, which also keeps a big export out of the page cache;
    /// elsewhere nothing).
    package static func startWriteback(_ fd: Int32, offset: Int, count: Int) {
        #if os(Linux)
        _ = posix_fadvise(fd, off_t(offset), off_t(count), POSIX_FADV_DONTNEED)
        #endif
    }

    /// `memcmp(3)`: below, at or above 0 as the `count` bytes at `a` sort before, equal
    /// or after those at `b`.
    @inline(__always)
    package static func compareBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Int32 {
        memcmp(a, b, count)
    }

    /// The offset of the first occurrence of `needle` in `haystack`, if any (`memchr(3)`
    /// for its first byte, then `memcmp(3)`; glibc's `memmem` is not in its Swift module).
    package static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard needle.count > 0 else { return 0 }
        guard let base = haystack.baseAddress, let wanted = needle.baseAddress, needle.count <= haystack.count else { return nil }
        let first = Int32(needle[0])
        let last = haystack.count - needle.count
        var start = 0
        while start <= last {
            guard let hit = memchr(base + start, first, last - start + 1) else { return nil }
            let at = UnsafeRawPointer(hit) - base
            if memcmp(base + at, wanted, needle.count) == 0 { return at }
            start = at + 1
        }
        return nil
    }

    /// `poll(2)` for reading on `fds`, waiting at most `milliseconds` (0: not at all):
    /// for each descriptor, whether a read would not block (bytes waiting, its end, or an
    /// error). Empty when nothing is ready in time or the wait was interrupted.
    package static func readable(_ fds: [Int32], milliseconds: Int32) -> [Bool] {
        var entries = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ready = entries.withUnsafeMutableBufferPointer { poll($0.baseAddress, nfds_t($0.count), milliseconds) }
        guard ready > 0 else { return [] }
        return entries.map { $0.revents != 0 }
    }

    /// The calling thread's last error number.
    package static var errno: Int32 {
        #if canImport(Glibc)
        Glibc.errno
        #else
        Darwin.errno
        #endif
    }
}
