@testable import LabelPortCore
import NIOCore
import Testing

/// The response parser on bytes in memory, split at every possible read boundary.
@Suite("HTTP response parser")
struct HTTPResponseParserTests {
    struct Parsed: Equatable {
        var status: Int
        var body: String
        var keepAlive: Bool
        var retryAfter: String?
    }

    /// Feeds `text` in reads of the given sizes (the rest in one read), then the end of
    /// the stream when `close`; returns every response and the failure, if any.
    static func parse(_ text: String, reads: [Int] = [], close: Bool = false, limit: Int = 1 << 20) -> ([Parsed], HTTPResponseParser.Failure?) {
        var parser = HTTPResponseParser(maximumBodyBytes: limit)
        var pending = ByteBuffer()
        var responses: [Parsed] = []
        var input = ByteBuffer(string: text)
        var sizes = reads
        func record(_ r: HTTPResponseParser.Response) {
            responses.append(Parsed(status: r.status, body: String(buffer: r.body), keepAlive: r.keepAlive, retryAfter: r.retryAfter))
        }
        do throws(HTTPResponseParser.Failure) {
            while input.readableBytes > 0 {
                let size = sizes.isEmpty ? input.readableBytes : min(sizes.removeFirst(), input.readableBytes)
                var slice = input.readSlice(length: size)!
                pending.writeBuffer(&slice)
                while let response = try parser.next(&pending) { record(response) }
            }
            if close, let response = try parser.endOfStream() { record(response) }
        } catch {
            return (responses, error)
        }
        return (responses, nil)
    }

    static let twoResponses =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length: 7\r\n\r\n{\"a\":1}"
        + "HTTP/1.1 429 Too Many\r\nRetry-After:  3 \r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\n{\"e\"\r\nA\r\n:\"slow\"}  \r\n0\r\nX-Trailer: 1\r\n\r\n"

    static let expected = [
        Parsed(status: 201, body: "{\"a\":1}", keepAlive: true),
        Parsed(status: 429, body: "{\"e\":\"slow\"}  ", keepAlive: true, retryAfter: "3"),
    ]

    @Test("Content-Length and chunked responses, whole and split at every byte")
    func everySplit() {
        #expect(Self.parse(Self.twoResponses).0 == Self.expected)
        for split in 1..<Self.twoResponses.utf8.count {
            let (responses, failure) = Self.parse(Self.twoResponses, reads: [split])
            #expect(responses == Self.expected, "split at \(split)")
            #expect(failure == nil)
        }
        let (bytewise, _) = Self.parse(Self.twoResponses, reads: Array(repeating: 1, count: Self.twoResponses.utf8.count))
        #expect(bytewise == Self.expected)
    }

    @Test("informational responses are skipped; 204 and 304 have no body")
    func bodiless() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"
        let (responses, failure) = Self.parse(text)
        #expect(failure == nil)
        #expect(responses.map(\.status) == [204, 304])
        #expect(responses.map(\.body) == ["", ""])
    }

    @Test("keep-alive rules: Connection: close, HTTP/1.0, a body delimited by the close")
    func keepAliveRules() {
        #expect(Self.parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n").0.map(\.keepAlive) == [false])
        #expect(Self.parse("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n").0.map(\.keepAlive) == [false])
        #expect(Self.parse("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n").0.map(\.keepAlive) == [true])
        let untilClose = Self.parse("HTTP/1.1 200 OK\r\n\r\n[1,2]", reads: [20, 2], close: true)
        #expect(untilClose.0 == [Parsed(status: 200, body: "[1,2]", keepAlive: false)])
    }

    @Test("a response cut short by the close is an error")
    func cutShort() {
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n[1,2", close: true).1 != nil)
        #expect(Self.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[1,2", close: true).1 != nil)
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-", close: true).1 != nil)
        #expect(Self.parse("", close: true) == ([], nil))
    }

    @Test("malformed heads and chunks are refused", arguments: [
        "HTTP/2 200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
    ])
    func malformed(text: String) {
        guard case .malformed? = Self.parse(text).1 else {
            Issue.record("accepted: \(text.debugDescription)")
            return
        }
    }

    @Test("bodies over the limit are refused without buffering them")
    func limits() {
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n", limit: 10).1 == .bodyTooLarge(limit: 10))
        #expect(Self.parse("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", limit: 10).0.map(\.body) == ["0123456789"])
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n67890\r\n0\r\n\r\n"
        #expect(Self.parse(chunked, limit: 10).1 == .bodyTooLarge(limit: 10))
        #expect(Self.parse(chunked, limit: 11).0.map(\.body) == ["01234567890"])
        #expect(Self.parse("HTTP/1.1 200 OK\r\n\r\n01234567890", limit: 10).1 == .bodyTooLarge(limit: 10))
        let longHead = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: HTTPResponseParser.maximumHeadBytes)
        guard case .malformed? = Self.parse(longHead).1 else {
            Issue.record("a head without end was buffered without limit")
            return
        }
    }
}
