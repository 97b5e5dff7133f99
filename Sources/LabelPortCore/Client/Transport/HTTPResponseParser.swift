import NIOCore

/// Reads HTTP/1.x responses from the bytes of one connection: a pure value, fed what the
/// socket delivers, with bounded memory (the head and the body are both capped).
///
/// Handles `Content-Length`, `Transfer-Encoding: chunked`, bodies delimited by the close
/// of the connection, bodiless statuses (1xx, 204, 304) and `Connection` keep-alive rules.
struct HTTPResponseParser {
    struct Response {
        var status: Int
        var retryAfter: String?
        /// `RateLimit-*` and `X-RateLimit-*` fields by lowercased name; empty when none.
        var rateLimitFields: [String: String] = [:]
        /// False when the connection must not carry another request.
        var keepAlive: Bool
        var body: ByteBuffer
    }

    enum Failure: Error, Equatable {
        case malformed(String)
        case bodyTooLarge(limit: Int)
    }

    static let maximumHeadBytes = 64 * 1024

    let maximumBodyBytes: Int

    private enum State {
        case head(scanned: Int)
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    private var state = State.head(scanned: 0)
    private var status = 0
    private var retryAfter: String?
    private var rateLimitFields: [String: String] = [:]
    private var keepAlive = true
    private var body = ByteBuffer()

    init(maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    /// True between responses: no byte of a next response has been read.
    var isIdle: Bool {
        if case .head(let scanned) = state { return scanned == 0 }
        return false
    }

    /// Consumes bytes of `buffer` and returns the response they complete, if any; what is
    /// left in `buffer` belongs to later reads (the caller keeps it and feeds it again).
    mutating func next(_ buffer: inout ByteBuffer) throws(Failure) -> Response? {
        while true {
            switch state {
            case .head(let scanned):
                guard let headLength = Self.headLength(buffer, from: scanned) else {
                    if buffer.readableBytes > Self.maximumHeadBytes { throw .malformed("response head longer than \(Self.maximumHeadBytes) bytes") }
                    state = .head(scanned: max(0, buffer.readableBytes - 3))
                    if buffer.readableBytes == 0 { state = .head(scanned: 0) }
                    return nil
                }
                guard let head = buffer.readSlice(length: headLength) else { return nil }
                let framing = try parseHead(head)
                switch framing {
                case .informational:
                    state = .head(scanned: 0)
                case .none:
                    return finish(body: ByteBuffer())
                case .length(let length):
                    guard length <= maximumBodyBytes else { throw .bodyTooLarge(limit: maximumBodyBytes) }
                    if buffer.readableBytes >= length, let slice = buffer.readSlice(length: length) {
                        return finish(body: slice)  // the whole body arrived with the head: no copy
                    }
                    body = ByteBuffer()
                    // Not all of a large declared length at once: it grows as bytes come.
                    body.reserveCapacity(min(length, 16 << 20))
                    state = .fixed(remaining: length)
                case .chunked:
                    body = ByteBuffer()
                    state = .chunkSize
                case .untilClose:
                    body = ByteBuffer()
                    keepAlive = false
                    state = .untilClose
                }
            case .fixed(let remaining):
                let n = min(remaining, buffer.readableBytes)
                guard n > 0 else { return nil }
                var slice = buffer.readSlice(length: n)!
                body.writeBuffer(&slice)
                if n == remaining { return finish(body: body) }
                state = .fixed(remaining: remaining - n)
                return nil
            case .chunkSize:
                guard let line = try Self.readLine(&buffer) else { return nil }
                let size = try Self.chunkSize(line)
                guard size <= maximumBodyBytes - body.readableBytes else { throw .bodyTooLarge(limit: maximumBodyBytes) }
                state = size == 0 ? .trailers : .chunkData(remaining: size)
            case .chunkData(let remaining):
                let n = min(remaining, buffer.readableBytes)
                guard n > 0 else { return nil }
                var slice = buffer.readSlice(length: n)!
                body.writeBuffer(&slice)
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - n)
            case .chunkDataEnd:
                guard let line = try Self.readLine(&buffer) else { return nil }
                guard line.readableBytes == 0 else { throw .malformed("chunk data longer than its size") }
                state = .chunkSize
            case .trailers:
                guard let line = try Self.readLine(&buffer) else { return nil }
                if line.readableBytes == 0 { return finish(body: body) }
            case .untilClose:
                guard buffer.readableBytes > 0 else { return nil }
                guard buffer.readableBytes <= maximumBodyBytes - body.readableBytes else { throw .bodyTooLarge(limit: maximumBodyBytes) }
                body.writeBuffer(&buffer)
                return nil
            }
        }
    }

    /// The peer closed the connection: completes a body delimited by the close; a
    /// response cut short is an error; nil when no response was in progress.
    mutating func endOfStream() throws(Failure) -> Response? {
        switch state {
        case .untilClose: return finish(body: body)
        case .head(let scanned) where scanned == 0: return nil
        default: throw .malformed("the connection closed in the middle of the response")
        }
    }

    private mutating func finish(body: ByteBuffer) -> Response {
        let response = Response(
            status: status, retryAfter: retryAfter, rateLimitFields: rateLimitFields, keepAlive: keepAlive, body: body)
        state = .head(scanned: 0)
        self.body = ByteBuffer()
        retryAfter = nil
        rateLimitFields = [:]
        return response
    }

    // MARK: Head

    private enum Framing {
        case informational, none, length(Int), chunked, untilClose
    }

    /// The length of the head including its blank line, once all of it is in `buffer`.
    private static func headLength(_ buffer: ByteBuffer, from scanned: Int) -> Int? {
        buffer.withUnsafeReadableBytes { raw -> Int? in
            guard raw.count >= 4 else { return nil }
            var i = max(0, scanned)
            while i + 3 < raw.count {
                if raw[i + 3] != UInt8(ascii: "\n") {
                    i += raw[i + 3] == UInt8(ascii: "\r") ? 1 : 4
                    continue
                }
                if raw[i] == UInt8(ascii: "\r") && raw[i + 1] == UInt8(ascii: "\n") && raw[i + 2] == UInt8(ascii: "\r") {
                    return i + 4
                }
                i += 1
            }
            return nil
        }
    }

    private mutating func parseHead(_ head: ByteBuffer) throws(Failure) -> Framing {
        let result: Result<Framing, Failure> = head.withUnsafeReadableBytes { raw in
            Result { () throws(Failure) -> Framing in try parseHead(raw) }
        }
        return try result.get()
    }

    private mutating func parseHead(_ raw: UnsafeRawBufferPointer) throws(Failure) -> Framing {
        // "HTTP/1.1 200 OK\r\n"
        guard raw.count >= 14, raw[0] == UInt8(ascii: "H"), raw[1] == UInt8(ascii: "T"), raw[2] == UInt8(ascii: "T"),
            raw[3] == UInt8(ascii: "P"), raw[4] == UInt8(ascii: "/"), raw[5] == UInt8(ascii: "1"), raw[6] == UInt8(ascii: "."),
            raw[8] == UInt8(ascii: " ")
        else { throw .malformed("not an HTTP/1.x status line") }
        let http10 = raw[7] == UInt8(ascii: "0")
        var code = 0
        for i in 9..<12 {
            let digit = Int(raw[i]) - 48
            guard (0...9).contains(digit) else { throw .malformed("the status code is not three digits") }
            code = code * 10 + digit
        }
        guard raw[12] == UInt8(ascii: " ") || raw[12] == UInt8(ascii: "\r") else { throw .malformed("the status code is not three digits") }
        status = code
        keepAlive = !http10
        retryAfter = nil
        rateLimitFields = [:]
        var contentLength: Int?
        var chunked = false
        var otherCoding = false
        var lineStart = Self.lineEnd(raw, from: 0) + 2
        while lineStart < raw.count - 2 {
            let end = Self.lineEnd(raw, from: lineStart)
            guard let colon = (lineStart..<end).first(where: { raw[$0] == UInt8(ascii: ":") }), colon > lineStart else {
                throw .malformed("a header line without a name")
            }
            var valueStart = colon + 1
            var valueEnd = end
            while valueStart < valueEnd, raw[valueStart] == 0x20 || raw[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, raw[valueEnd - 1] == 0x20 || raw[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let name = UnsafeRawBufferPointer(rebasing: raw[lineStart..<colon])
            let value = UnsafeRawBufferPointer(rebasing: raw[valueStart..<valueEnd])
            switch name.count {
            case 14 where Self.equalsLowercased(name, "content-length"):
                guard !value.isEmpty, value.count <= 18, value.allSatisfy({ (48...57).contains($0) }) else {
                    throw .malformed("Content-Length is not a number")
                }
                let length = value.reduce(0) { $0 * 10 + Int($1 - 48) }
                if let contentLength, contentLength != length { throw .malformed("conflicting Content-Length headers") }
                contentLength = length
            case 17 where Self.equalsLowercased(name, "transfer-encoding"):
                // Only the last coding frames the body (RFC 9112 §6.1).
                for coding in value.split(separator: UInt8(ascii: ",")) {
                    let token = Self.trimmed(coding)
                    if Self.equalsLowercased(token, "chunked") {
                        chunked = true
                        otherCoding = false
                    } else if !token.isEmpty {
                        otherCoding = true
                    }
                }
            case 10 where Self.equalsLowercased(name, "connection"):
                for option in value.split(separator: UInt8(ascii: ",")) {
                    let token = Self.trimmed(option)
                    if Self.equalsLowercased(token, "close") { keepAlive = false }
                    if Self.equalsLowercased(token, "keep-alive") && http10 { keepAlive = true }
                }
            case 11 where Self.equalsLowercased(name, "retry-after"):
                retryAfter = String(decoding: value, as: UTF8.self)
            case 15, 17, 19, 21:
                let lowered = String(decoding: name, as: UTF8.self).lowercased()
                if lowered.hasPrefix("ratelimit-") || lowered.hasPrefix("x-ratelimit-") {
                    rateLimitFields[lowered] = String(decoding: value, as: UTF8.self)
                }
            default:
                break
            }
            lineStart = end + 2
        }
        if (100..<200).contains(code) {
            guard code != 101 else { throw .malformed("unexpected protocol switch") }
            return .informational
        }
        if code == 204 || code == 304 { return .none }
        if chunked || otherCoding {
            // A coding other than chunked last: the body runs to the close (RFC 9112 §6.3).
            return otherCoding ? .untilClose : .chunked
        }
        if let contentLength { return contentLength == 0 ? .none : .length(contentLength) }
        return .untilClose
    }

    private static func lineEnd(_ raw: UnsafeRawBufferPointer, from start: Int) -> Int {
        var i = start
        while i + 1 < raw.count, !(raw[i] == UInt8(ascii: "\r") && raw[i + 1] == UInt8(ascii: "\n")) { i += 1 }
        return i
    }

    private static func equalsLowercased(_ bytes: some Collection<UInt8>, _ name: StaticString) -> Bool {
        guard bytes.count == name.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)
        var i = 0
        for byte in bytes {
            let lower = (65...90).contains(byte) ? byte | 0x20 : byte
            guard lower == expected[i] else { return false }
            i += 1
        }
        return true
    }

    private static func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
        var s = bytes
        while let first = s.first, first == 0x20 || first == 0x09 { s = s.dropFirst() }
        while let last = s.last, last == 0x20 || last == 0x09 { s = s.dropLast() }
        return s
    }

    // MARK: Chunks

    /// One CRLF-terminated line, without its CRLF, once it is complete.
    private static func readLine(_ buffer: inout ByteBuffer) throws(Failure) -> ByteBuffer? {
        let end: Int? = buffer.withUnsafeReadableBytes { raw in
            var i = 0
            while i + 1 < raw.count {
                if raw[i] == UInt8(ascii: "\r") && raw[i + 1] == UInt8(ascii: "\n") { return i }
                i += 1
            }
            return nil
        }
        guard let end else {
            if buffer.readableBytes > 4096 { throw .malformed("a chunk line longer than 4096 bytes") }
            return nil
        }
        let line = buffer.readSlice(length: end)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }

    private static func chunkSize(_ line: ByteBuffer) throws(Failure) -> Int {
        var size = 0
        var digits = 0
        for byte in line.readableBytesView {
            let value: Int
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = Int(byte) - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = Int(byte) - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = Int(byte) - 55
            case UInt8(ascii: ";"), 0x20, 0x09:
                // Chunk extensions are ignored.
                guard digits > 0 else { throw .malformed("a chunk without a size") }
                return size
            default: throw .malformed("a chunk size that is not hexadecimal")
            }
            digits += 1
            guard digits <= 15 else { throw .malformed("a chunk size too large") }
            size = size * 16 + value
        }
        guard digits > 0 else { throw .malformed("a chunk without a size") }
        return size
    }
}
