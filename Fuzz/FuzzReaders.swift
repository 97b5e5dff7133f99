// libFuzzer entry point for the input readers, compiled together with the LabelPortCore
// sources they need (see scripts/fuzz.sh). FUZZ_FORMAT picks the reader at compile time
// (-D FUZZ_CSV or -D FUZZ_JSONL).
//
// Each input is read twice: with a tiny chunk size chosen by its first byte, and with a
// large one. Both must give identical items (the reader must not depend on where chunks
// split), and both must end.

#if canImport(Glibc)
import Glibc
#endif

#if FUZZ_CSV
private let fileName = "fuzz.csv"
#else
private let fileName = "fuzz.jsonl"
#endif

private func readAll(_ bytes: [UInt8], chunkSize: Int, options: LabelInputOptions) -> [LabelInputItem] {
    var options = options
    options.chunkSize = chunkSize
    var input = LabelInput(bytes: bytes, displayName: fileName, options: options)
    var items: [LabelInputItem] = []
    while let item = input.next() {
        items.append(item)
        if items.count > 100_000 { break }
    }
    return items
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzReaders(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let control = data[0]
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    var options = LabelInputOptions()
    if control & 0x80 != 0 { options.runID = "123e4567-e89b-12d3-a456-426614174000" }
    if control & 0x40 != 0 { options.delimiter = UInt8(ascii: ";") }
    if control & 0x20 != 0 {
        options.mappings = [
            FieldMapping(header: "a", field: .objectKey(["x"]), type: .number),
            FieldMapping(header: "b", field: .objectKey(["y", "z"]), type: .json),
            FieldMapping(header: "c", field: .outputResourceName),
        ]
    }
    let small = Int(control & 0x07) + 1
    let a = readAll(bytes, chunkSize: small, options: options)
    let b = readAll(bytes, chunkSize: 1 << 16, options: options)
    if a != b {
        print("chunk size \(small) and 65536 disagree:\n\(a)\n---\n\(b)")
        abort()
    }
    #if FUZZ_JSONL
    checkSelectiveParse(bytes)
    #endif
    return 0
}

/// The parse that builds only some keys (used on every create's answer) must agree
/// with the full parse: same kept values, and an error wherever the full parse finds
/// one, but for duplicate keys inside skipped values, which it does not look for.
private func checkSelectiveParse(_ bytes: [UInt8]) {
    let full: Result<JSONValue, JSONSyntaxError> = bytes.withUnsafeBytes { raw in
        Result { () throws(JSONSyntaxError) -> JSONValue in try JSONParser.parse(raw) }
    }
    let kept: Result<JSONObject?, JSONSyntaxError> = bytes.withUnsafeBytes { raw in
        Result { () throws(JSONSyntaxError) -> JSONObject? in try JSONParser.parseObject(raw, keeping: ["id", "a"]) }
    }
    switch (full, kept) {
    case (.success(let value), .success(let object)):
        let expected = value.objectValue.map { o in JSONObject(o.entries.filter { $0.key == "id" || $0.key == "a" }) }
        if expected != object {
            print("selective parse kept \(String(describing: object)), expected \(String(describing: expected))")
            abort()
        }
    case (.failure(let a), .failure(let b)):
        if a != b && !a.message.hasPrefix("duplicate key") {
            print("selective parse error \(b) differs from \(a)")
            abort()
        }
    case (.failure(let error), .success):
        if !error.message.hasPrefix("duplicate key") {
            print("selective parse accepted what the full parse refuses: \(error)")
            abort()
        }
    case (.success, .failure(let error)):
        print("selective parse refused valid JSON: \(error)")
        abort()
    }
}
