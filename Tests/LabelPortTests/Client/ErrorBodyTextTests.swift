import Testing
@testable import LabelPortCore

/// An error answer's body in one line of words: proxies' HTML pages were quoted whole, and
/// `{"detail": ...}` bodies (FastAPI) as raw JSON.
@Suite("Error bodies in words", .timeLimit(.minutes(1)))
struct ErrorBodyTextTests {
    @Test("each kind of body says what it says, on one line", arguments: [
        (#"{"error": "run not found"}"#, "run not found"),
        (#"{"detail": "Not authenticated"}"#, "Not authenticated"),
        (#"{"message": "slow down"}"#, "slow down"),
        (#"{"detail": [{"loc": ["body", "text_value"], "msg": "str type expected"}, {"loc": ["body", 3], "msg": "bad"}]}"#,
         "body.text_value: str type expected; body.3: bad"),
        ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
         "502 Bad Gateway (an HTML page: from a proxy or gateway?)"),
        ("<!DOCTYPE html><html><body><H1>Access\n  denied</H1></body></html>", "Access denied (an HTML page: from a proxy or gateway?)"),
        ("<html><body>no heading</body></html>", "an HTML page (from a proxy or gateway?)"),
        ("upstream connect error\nor disconnect", "upstream connect error or disconnect"),
        ("   ", nil),
        (#"{"error": "bad \u001b[31mred\u0007"}"#, #"bad \u{1b}[31mred\u{7}"#),
    ] as [(String, String?)])
    func said(body: String, expected: String?) {
        #expect(ErrorBodyText.text(Array(body.utf8)) == expected)
    }

    @Test("a long body is cut at 200 characters, plain or in {\"error\"}")
    func long() {
        let text = ErrorBodyText.text(Array(String(repeating: "x", count: 500).utf8))
        #expect(text == String(repeating: "x", count: 200) + "…")
        let json = ErrorBodyText.text(Array(#"{"error": "\#(String(repeating: "y", count: 1600))"}"#.utf8))
        #expect(json == String(repeating: "y", count: 200) + "…")
        let page = ErrorBodyText.text(Array("<html><title>\(String(repeating: "t", count: 400))</title></html>".utf8))
        #expect(page == String(repeating: "t", count: 200) + "… (an HTML page: from a proxy or gateway?)")
    }
}
