import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Issue 14, items 3 and 10: several rows for one label merge into one change, and
/// objects built from columns merge key by key into the server's object.
@Suite("import: repeated rows and object keys", .timeLimit(.minutes(2)))
struct RepeatedRowsTests {
    @Test("when the merged change fails, every row merged into it is failed and rejected too (nothing reported ok that was not written)")
    func mergedFailure() async throws {
        let seed = ImportFixtures.seed([#"{"output_resource_name": "doc-1.pdf", "text_value": "old"}"#])
        // One request per 100 s: the run's list passes, the write is refused (429), and
        // with --retries 0 it fails.
        try await ExportFixtures.withSandbox(seed: seed, { $0.rateLimit = RateLimitSpec(rate: 0.01, burst: 1) }) { sandbox, dir in
            let file = try dir.write("labels.csv", "output_resource_name,text_value\ndoc-1.pdf,first\ndoc-1.pdf,second\n")
            let report = dir.url("report.jsonl")
            let rejects = dir.url("rejects.csv")
            let result = try await ImportFixtures.importFile(
                file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--retries", "0", "--report", report, "--rejects", rejects])
            #expect(result.status == 1, "\(result.stderr)")
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["status"]?.stringValue } == ["failed", "failed"])
            #expect(lines.last?["error"]?.stringValue?.hasPrefix("its values are in the change of line 2, which failed: ") == true, "\(lines)")
            #expect(try FileText.read(rejects) == "output_resource_name,text_value\ndoc-1.pdf,first\ndoc-1.pdf,second\n")
        }
    }

    @Test("two rows for one label: one change, the later row wins, a re-run writes nothing")
    func repeatedRowsMerge() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed([#"{"output_resource_name": "doc-1.pdf", "text_value": "old"}"#])) { sandbox, dir in
            let file = try dir.write("labels.csv", """
                output_resource_name,text_value
                doc-1.pdf,first
                doc-2.pdf,a
                doc-1.pdf,second
                doc-2.pdf,b

                """)
            let report = dir.url("report.jsonl")
            let first = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report])
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stderr.contains("4 rows: 1 create, 1 update, 2 unchanged"), "\(first.stderr)")
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["doc-1.pdf"]?.textValue == "second")
            #expect(labels["doc-2.pdf"]?.textValue == "b")
            #expect(sandbox.stats.writesApplied == 2)
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["action"]?.stringValue } == ["update", "create", "unchanged", "unchanged"])
            // A later row names the label its values went into, the one created too.
            let ids = lines.map { $0["id"]?.stringValue }
            #expect(ids[0] != nil && ids[1] != nil && ids[2] == ids[0] && ids[3] == ids[1], "\(ids)")

            for _ in 0..<2 {
                let again = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
                #expect(again.status == 0, "\(again.stderr)")
                #expect(again.stderr.contains("4 rows: 0 create, 0 update, 4 unchanged"), "\(again.stderr)")
            }
            #expect(sandbox.stats.writesApplied == 2, "a re-run must make zero writes")
        }
    }

    /// Rows merge by the label they resolve to, not by the name they state: a row whose id
    /// names label X under another name, and a row that only names "a", are two labels (the
    /// second row's value went into X, the first's was lost, the run's "a" was untouched).
    @Test("a row naming X by id under the name of another label Y, and a row naming Y: each label gets its own row")
    func mergeByResolvedLabel() async throws {
        let x = "aaaaaaaa-0000-4000-8000-000000000001", y = "aaaaaaaa-0000-4000-8000-000000000002"
        let d1 = "dddddddd-0000-4000-8000-000000000001", d2 = "dddddddd-0000-4000-8000-000000000002"
        let seed = ImportFixtures.seed([
            #"{"id": "\#(x)", "output_resource_name": "b", "text_value": "orig-b"}"#,
            #"{"id": "\#(y)", "output_resource_name": "a", "text_value": "orig-a"}"#,
            #"{"id": "\#(d1)", "output_resource_name": "dup", "text_value": "1"}"#,
            #"{"id": "\#(d2)", "output_resource_name": "dup", "text_value": "2"}"#,
        ])
        try await ExportFixtures.withSandbox(seed: seed) { sandbox, dir in
            let file = try dir.write("rows.jsonl", """
                {"id": "\(x)", "output_resource_name": "a", "text_value": "1"}
                {"output_resource_name": "a", "text_value": "2"}
                {"id": "\(d2)", "output_resource_name": "dup", "text_value": "two"}
                {"output_resource_name": "dup", "text_value": "x"}

                """)
            let report = dir.url("report.jsonl")
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report])
            #expect(result.status == 1, "the name-only row for two labels is a conflict: \(result.stderr)")
            let byID = Dictionary(uniqueKeysWithValues: sandbox.sandbox.goldLabels(runID: ImportFixtures.runA).map { ($0.id, $0.textValue) })
            #expect(byID == [x: "1", y: "2", d1: "1", d2: "two"])
            let lines = try ImportFixtures.report(report)
            #expect(lines.map { $0["action"]?.stringValue } == ["update", "update", "update", "conflict"])
            #expect(lines.map { $0["id"]?.stringValue } == [x, y, d2, nil])
        }
    }

    /// An exported row whose name cell was edited reaches its label by id (the label keeps
    /// its name), and another row names that label by its own name: both rows are that
    /// label's, merged in file order, and a re-run writes nothing. Neither name repeats, so
    /// only the run tells.
    @Test("a row reaching label X by id under another name and a row naming X: one change, a re-run writes nothing")
    func mergeRenamedByID() async throws {
        let x = "aaaaaaaa-0000-4000-8000-000000000001"
        let seed = ImportFixtures.seed([#"{"id": "\#(x)", "output_resource_name": "zz", "text_value": "old"}"#])
        for (rows, final) in [
            (#"{"id": "\#(x.uppercased())", "output_resource_name": "d", "text_value": "new"}\#n{"output_resource_name": "zz", "text_value": "new2"}\#n"#, "new2"),
            (#"{"output_resource_name": "zz", "text_value": "new2"}\#n{"id": "\#(x)", "output_resource_name": "d", "text_value": "new"}\#n"#, "new"),
        ] {
            try await ExportFixtures.withSandbox(seed: seed) { sandbox, dir in
                let file = try dir.write("rows.jsonl", rows)
                let report = dir.url("report.jsonl")
                let first = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA, "--report", report])
                #expect(first.status == 0, "\(first.stderr)")
                #expect(first.stderr.contains("2 rows: 0 create, 1 update, 1 unchanged"), "\(first.stderr)")
                #expect(try ImportFixtures.report(report).map { $0["id"]?.stringValue } == [x, x])
                #expect(sandbox.sandbox.goldLabels(runID: ImportFixtures.runA).map(\.textValue) == [final])
                #expect(sandbox.stats.writesApplied == 1)
                let again = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
                #expect(again.stderr.contains("2 rows: 0 create, 0 update, 2 unchanged"), "\(again.stderr)")
                #expect(sandbox.stats.writesApplied == 1, "a re-run must make zero writes")
            }
        }
    }

    @Test("validate warns about each repeat of a label")
    func validateWarns() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("labels.csv", "output_resource_name,text_value\ndoc-1.pdf,a\ndoc-2.pdf,b\ndoc-1.pdf,c\ndoc-1.pdf,d\n")
        let result = await runLabelPort(["validate", file, "--run-id", ImportFixtures.runA])
        #expect(result.status == 0)
        #expect(result.stdout == """
            \(file):4: warning: same label as line 2
            \(file):5: warning: same label as line 2
            4 rows, no problems (2 warnings; cells separated by ',')

            """)
        // Two ids for one name are two labels of that name (the way out of a conflict): no warning.
        let ids = try dir.write("ids.csv", """
            output_resource_name,id,text_value
            dup,dddddddd-0000-4000-8000-000000000001,a
            dup,dddddddd-0000-4000-8000-000000000002,b
            dup,DDDDDDDD-0000-4000-8000-000000000001,c

            """)
        let two = await runLabelPort(["validate", ids, "--run-id", ImportFixtures.runA])
        #expect(two.stdout == """
            \(ids):4: warning: same label as line 2
            3 rows, no problems (1 warning; cells separated by ',')

            """)
    }

    @Test("key columns merge into the server's object; an empty cell leaves its key")
    func keyColumnsMerge() async throws {
        let seed = [#"{"output_resource_name": "doc-1", "object_value": {"answer": "yes", "score": 1, "keep": true}}"#,
                    #"{"output_resource_name": "doc-2", "text_value": "was text"}"#]
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(seed)) { sandbox, dir in
            let file = try dir.write("labels.csv", """
                Document,Answer,Score
                doc-1,,2
                doc-2,no,

                """)
            let maps = ["--run-id", ImportFixtures.runA, "--map", "Document=output_resource_name",
                        "--map", "Answer=object_value.answer", "--map", "Score=object_value.score:number"]
            let result = try await ImportFixtures.importFile(file, sandbox, dir, maps)
            #expect(result.status == 0, "\(result.stderr)")
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["doc-1"]?.objectValue == (try ImportFixtures.value(#"{"answer":"yes","score":2,"keep":true}"#)))
            #expect(labels["doc-2"]?.objectValue == (try ImportFixtures.value(#"{"answer":"no"}"#)))
            #expect(labels["doc-2"]?.textValue == nil, "setting the object clears the text")
            let writes = sandbox.stats.writesApplied
            let again = try await ImportFixtures.importFile(file, sandbox, dir, maps)
            #expect(again.status == 0)
            #expect(sandbox.stats.writesApplied == writes)
        }
    }

    @Test("a whole object_value replaces; with key columns, the columns set keys in it")
    func wholeObjectReplaces() async throws {
        let seed = [#"{"output_resource_name": "doc-1", "object_value": {"old": 1}}"#,
                    #"{"output_resource_name": "doc-2", "object_value": {"old": 1}}"#,
                    #"{"output_resource_name": "doc-3", "object_value": {"old": 1}}"#]
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed(seed)) { sandbox, dir in
            let file = try dir.write("labels.csv", """
                output_resource_name,object_value,object_value.b:number,text_value
                doc-1,"{""a"": 1}",,
                doc-2,"{""a"": 1}",7,
                doc-3,,,now text

                """)
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(result.status == 0, "\(result.stderr)")
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["doc-1"]?.objectValue == (try ImportFixtures.value(#"{"a":1}"#)))
            #expect(labels["doc-2"]?.objectValue == (try ImportFixtures.value(#"{"a":1,"b":7}"#)))
            #expect(labels["doc-3"]?.textValue == "now text")
            #expect(labels["doc-3"]?.objectValue == nil, "setting the text clears the object")
        }
    }

    @Test("JSONL: repeated rows merge text, object and key columns in file order")
    func jsonlMerge() async throws {
        try await ExportFixtures.withSandbox(seed: ImportFixtures.seed([#"{"output_resource_name": "x", "object_value": {"k": 0, "z": 9}}"#])) { sandbox, dir in
            let file = try dir.write("labels.jsonl", """
                {"output_resource_name": "x", "object_value.k": 1}
                {"output_resource_name": "x", "object_value.m": 2}
                {"output_resource_name": "y", "text_value": "t"}
                {"output_resource_name": "y", "object_value.a": 1}

                """)
            let result = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(result.status == 0, "\(result.stderr)")
            let labels = ImportFixtures.labelsByName(sandbox)
            #expect(labels["x"]?.objectValue == (try ImportFixtures.value(#"{"k":1,"z":9,"m":2}"#)))
            #expect(labels["y"]?.objectValue == (try ImportFixtures.value(#"{"a":1}"#)))
            #expect(labels["y"]?.textValue == nil)
            #expect(sandbox.stats.writesApplied == 2)
            let again = try await ImportFixtures.importFile(file, sandbox, dir, ["--run-id", ImportFixtures.runA])
            #expect(again.status == 0)
            #expect(sandbox.stats.writesApplied == 2)
        }
    }
}
