import Testing
@testable import LabelPortCore

@Suite("Label set diff", .timeLimit(.minutes(10)))
struct LabelSetDiffTests {
    let run = "00000000-0000-0000-0000-00000000000a"

    func label(_ id: Int, _ name: String, text: String) -> StoredLabel {
        StoredLabel(runID: run, id: "00000000-0000-0000-0000-\(String(repeating: "0", count: 12 - String(id).count))\(id)",
            outputResourceName: name, values: LabelValues(textValue: text))
    }

    @Test("matches by id; added, removed, changed, unchanged")
    func sets() {
        let old = [label(1, "a", text: "same"), label(2, "b", text: "before"), label(3, "c", text: "gone")]
        let new = [label(4, "d", text: "new"), label(2, "b", text: "after"), label(1, "a", text: "same")]
        let diff = LabelSetDiff(old: old, new: new)
        #expect(diff.added.map(\.label.outputResourceName) == ["d"])
        #expect(diff.removed.map(\.label.outputResourceName) == ["c"])
        #expect(diff.changed.map(\.label.outputResourceName) == ["b"])
        #expect(diff.changed.first?.changes == [FieldChange(path: "text_value", old: "before", new: "after")])
        #expect(diff.unchanged == 1)
        #expect(diff.countsLine == "1 added, 1 removed, 1 changed, 1 unchanged")
        let text = diff.render(DiffRenderer(color: false))
        #expect(text == """
            1 added, 1 removed, 1 changed, 1 unchanged
            added label 00000000-0000-0000-0000-000000000004 (run \(run), "d")
                + text_value: "new"
            removed label 00000000-0000-0000-0000-000000000003 (run \(run), "c")
                - text_value: "gone"
            changed label 00000000-0000-0000-0000-000000000002 (run \(run), "b")
                ~ text_value: "before" → "after"

            """)
    }

    @Test("identical sets are empty; JSON says so")
    func identical() {
        let labels = [label(1, "a", text: "x")]
        let diff = LabelSetDiff(old: labels, new: labels)
        #expect(diff.isEmpty)
        #expect(JSONWriter().string(diff.json)
            == #"{"identical":true,"counts":{"added":0,"removed":0,"changed":0,"unchanged":1},"added":[],"removed":[],"changed":[]}"#)
    }
}
