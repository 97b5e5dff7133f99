/// The label a planned row touches: rows with the same key run one after another in
/// file order, and rows merged into one change share it. A run and a name (a label
/// found or created by name), a run and an id (an existing label), or an invalid row,
/// which touches nothing and so has a key of its own.
package struct PlanKey: Hashable, Sendable {
    enum Kind: Hashable, Sendable {
        /// Exact bytes: "é" and "e\u{301}" are different labels.
        case name(ExactString)
        case id(ExactString)
        case invalid(sequence: Int)
    }

    let runID: String
    let kind: Kind

    /// The label of `run` named `name`.
    package static func name(run: String, _ name: String) -> PlanKey { PlanKey(runID: run, kind: .name(ExactString(name))) }
    /// The label of `run` with id `id` (as the server wrote it).
    package static func id(run: String, _ id: String) -> PlanKey { PlanKey(runID: run, kind: .id(ExactString(id))) }
    /// The invalid row at `sequence`.
    package static func invalid(sequence: Int) -> PlanKey { PlanKey(runID: "", kind: .invalid(sequence: sequence)) }
}
