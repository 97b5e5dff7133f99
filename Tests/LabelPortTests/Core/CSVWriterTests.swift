import Testing
@testable import LabelPortCore

@Suite("CSV writer", .timeLimit(.minutes(10)))
struct CSVWriterTests {
    @Test("quotes only fields that need it")
    func quoting() {
        var out: [UInt8] = []
        CSVWriter().appendRow(["plain", "a,b", "say \"hi\"", "two\nlines", ""], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\n")
    }

    @Test("semicolon delimiter and CRLF")
    func dialect() {
        var out: [UInt8] = []
        CSVWriter(delimiter: UInt8(ascii: ";"), crlf: true).appendRow(["a,b", "c;d"], into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a,b;\"c;d\"\r\n")
    }
}
