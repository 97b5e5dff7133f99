import Testing
@testable import LabelPortCore

@Suite("Export rows", .timeLimit(.minutes(10)))
struct ExportEncoderTests {
    static let run1 = "11111111-1111-1111-1111-111111111111"
    static let run2 = "22222222-2222-2222-2222-222222222222"

    static func objectValue(_ text: String) -> JSONObject? {
        guard case .object(let object)? = try? JSONParser.parse(text) else { return nil }
        return object
    }

    static let textLabel = GoldLabel(
        id: "aaaaaaaa-0000-0000-0000-000000000001", accountID: "acct", runID: run1, outputResourceName: "doc,1",
        textValue: "say \"hi\"\nbye", createdAt: "2024-01-02T03:04:05Z")
    static let objectLabel = GoldLabel(
        id: "aaaaaaaa-0000-0000-0000-000000000002", accountID: "acct", runID: run1, outputResourceName: "doc-2",
        objectValue: objectValue(#"{"z":12345678901234567890,"a":{"y":1e-7,"b":[0.1,{}]},"é":"ü"}"#), objectValueIsPartial: false,
        createdBy: "me", createdAt: "2024-01-02T03:04:05Z", updatedBy: "you", updatedAt: "2024-02-02T03:04:05Z")

    @Test("JSONL line: column order, absent fields left out, object keys sorted, numbers as sent")
    func jsonlGolden() {
        let encoder = ExportEncoder<GoldLabel>(format: .jsonl)
        #expect(encoder.header().isEmpty)
        let text = String(decoding: encoder.rows([Self.textLabel, Self.objectLabel]), as: UTF8.self)
        #expect(text == """
            {"run_id":"\(Self.run1)","output_resource_name":"doc,1","id":"aaaaaaaa-0000-0000-0000-000000000001","text_value":"say \\"hi\\"\\nbye","account_id":"acct","created_at":"2024-01-02T03:04:05Z"}
            {"run_id":"\(Self.run1)","output_resource_name":"doc-2","id":"aaaaaaaa-0000-0000-0000-000000000002","object_value":{"a":{"b":[0.1,{}],"y":1e-7},"z":12345678901234567890,"é":"ü"},"object_value_is_partial":false,"account_id":"acct","created_by":"me","created_at":"2024-01-02T03:04:05Z","updated_by":"you","updated_at":"2024-02-02T03:04:05Z"}

            """)
    }

    @Test("CSV: the contract's header, object as canonical JSON in one cell, empty = absent")
    func csvGolden() {
        let encoder = ExportEncoder<GoldLabel>(format: .csv)
        var out = encoder.header()
        out += encoder.rows([Self.textLabel, Self.objectLabel])
        #expect(String(decoding: out, as: UTF8.self) == """
            run_id,output_resource_name,id,text_value,object_value,object_value_is_partial,account_id,created_by,created_at,updated_by,updated_at
            \(Self.run1),"doc,1",aaaaaaaa-0000-0000-0000-000000000001,"say ""hi""
            bye",,,acct,,2024-01-02T03:04:05Z,,
            \(Self.run1),doc-2,aaaaaaaa-0000-0000-0000-000000000002,,"{""a"":{""b"":[0.1,{}],""y"":1e-7},""z"":12345678901234567890,""é"":""ü""}",false,acct,me,2024-01-02T03:04:05Z,you,2024-02-02T03:04:05Z

            """)
    }

    @Test("Excel CSV: BOM and CRLF; the option means nothing for JSONL")
    func excel() {
        let encoder = ExportEncoder<GoldLabel>(format: .csv, excel: true)
        let header = encoder.header()
        #expect(Array(header.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(header.suffix(2) == [0x0D, 0x0A])
        #expect(encoder.rows([Self.objectLabel]).suffix(2) == [0x0D, 0x0A])
        #expect(ExportEncoder<GoldLabel>(format: .jsonl, excel: true).excel == false)
    }

    @Test("rows sort by (run_id, output_resource_name, id) byte-wise")
    func ordering() {
        func label(_ run: String, _ name: String, _ id: String) -> GoldLabel {
            GoldLabel(id: id, accountID: "a", runID: run, outputResourceName: name, textValue: "t", createdAt: "c")
        }
        let labels = [
            label(Self.run2, "a", "1"), label(Self.run1, "b", "2"), label(Self.run1, "B", "3"),
            label(Self.run1, "b", "1"), label(Self.run1, "é", "4"), label(Self.run1, "z", "5"),
        ]
        let sorted = GoldLabel.sortedForExport(labels).map { "\($0.runID.prefix(1))\($0.outputResourceName)\($0.id)" }
        #expect(sorted == ["1B3", "1b1", "1b2", "1z5", "1é4", "2a1"])
    }

    @Test("evaluations: API field names, (run_id, id) order, value exactly as sent")
    func evaluations() {
        let e1 = Evaluation(id: "e2", accountID: "acct", runID: Self.run1, fieldPath: "a.b", evaluationLabelID: "l1",
            value: JSONNumber("0.30000000000000004")!, createdAt: "2024-01-01T00:00:00Z")
        let e2 = Evaluation(id: "e1", accountID: "acct", runID: Self.run1, outputName: "out", evaluationLabelID: "l2",
            value: JSONNumber("1E+2")!, createdByEvaluatorID: "ev", createdAt: "2024-01-01T00:00:00Z")
        let sorted = Evaluation.sortedForExport([e1, e2])
        #expect(sorted.map(\.id) == ["e1", "e2"])
        let jsonl = String(decoding: ExportEncoder<Evaluation>(format: .jsonl).rows(sorted), as: UTF8.self)
        #expect(jsonl == """
            {"run_id":"\(Self.run1)","id":"e1","output_name":"out","evaluation_label_id":"l2","value":1E+2,"account_id":"acct","created_by_evaluator_id":"ev","created_at":"2024-01-01T00:00:00Z"}
            {"run_id":"\(Self.run1)","id":"e2","field_path":"a.b","evaluation_label_id":"l1","value":0.30000000000000004,"account_id":"acct","created_at":"2024-01-01T00:00:00Z"}

            """)
        let csvEncoder = ExportEncoder<Evaluation>(format: .csv)
        let csv = String(decoding: csvEncoder.header() + csvEncoder.rows(sorted), as: UTF8.self)
        #expect(csv == """
            run_id,id,output_name,field_path,evaluation_label_id,value,account_id,created_by,created_by_evaluator_id,created_at,updated_by,updated_at
            \(Self.run1),e1,out,,l2,1E+2,acct,,ev,2024-01-01T00:00:00Z,,
            \(Self.run1),e2,,a.b,l1,0.30000000000000004,acct,,,2024-01-01T00:00:00Z,,

            """)
    }

    @Test("format from the file name")
    func detect() {
        #expect(ExportFormat.detect(path: "out/backup.CSV") == .csv)
        #expect(ExportFormat.detect(path: "backup.jsonl") == .jsonl)
        #expect(ExportFormat.detect(path: "backup.tsv") == .csv, "CSV separated by tabs")
        #expect(ExportFormat.detect(path: "dir.csv/backup") == nil)
        #expect(ExportFormat.detect(path: "-") == nil)
    }
}
