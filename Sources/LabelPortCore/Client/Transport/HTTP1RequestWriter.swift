import NIOCore

/// Encodes requests to one endpoint: the request line and the fixed headers (host,
/// authorization, accept, user agent) precomputed once, then a JSON body if any.
struct HTTP1RequestWriter: Sendable {
    private let pathPrefix: [UInt8]
    /// Holds the token: never printed, never part of an error.
    private let fixedHeaders: [UInt8]

    init(endpoint: HTTPEndpoint, authorization: String, userAgent: String) {
        // The prefix comes from the user's base URL, perhaps already percent-encoded.
        var prefix = ByteBuffer()
        Self.writePath(endpoint.pathPrefix, allowingPercent: true, into: &prefix)
        pathPrefix = Array(prefix.readableBytesView)
        var headers = "Host: \(endpoint.hostHeader)\r\n"
        headers += "Authorization: \(authorization)\r\n"
        headers += "Accept: application/json\r\n"
        headers += "User-Agent: \(userAgent)\r\n"
        fixedHeaders = Array(headers.utf8)
    }

    /// The whole request: `METHOD PREFIX/PATH HTTP/1.1`, the headers, and `body` as
    /// `application/json`. Bytes of `path` that may not appear in a request target are
    /// percent-encoded, so no input can break the request line.
    func request(method: StaticString, path: String, body: [UInt8]?) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: 160 + fixedHeaders.count + path.utf8.count + (body?.count ?? 0))
        buffer.writeStaticString(method)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeBytes(pathPrefix)
        Self.writePath(path, allowingPercent: false, into: &buffer)
        buffer.writeStaticString(" HTTP/1.1\r\n")
        buffer.writeBytes(fixedHeaders)
        if let body {
            buffer.writeStaticString("Content-Type: application/json\r\nContent-Length: ")
            buffer.writeString(String(body.count))
            buffer.writeStaticString("\r\n\r\n")
            buffer.writeBytes(body)
        } else {
            buffer.writeStaticString("\r\n")
        }
        return buffer
    }

    private static func writePath(_ path: String, allowingPercent: Bool, into buffer: inout ByteBuffer) {
        if path.utf8.allSatisfy(allowedInPath) {
            buffer.writeString(path)
            return
        }
        for byte in path.utf8 {
            if Self.allowedInPath(byte) || (allowingPercent && byte == UInt8(ascii: "%")) {
                buffer.writeInteger(byte)
            } else {
                buffer.writeInteger(UInt8(ascii: "%"))
                buffer.writeInteger(Self.hexDigits[Int(byte >> 4)])
                buffer.writeInteger(Self.hexDigits[Int(byte & 0xF)])
            }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// RFC 3986 `pchar` and `/`: unreserved, sub-delims, ':' and '@'.
    private static func allowedInPath(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default:
            false
        }
    }
}
