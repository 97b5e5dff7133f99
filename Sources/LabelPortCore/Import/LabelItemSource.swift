/// A source of input rows, read once to validate and once to plan and apply.
package protocol LabelItemSource {
    mutating func next() -> LabelInputItem?
    /// The last item was a problem of the whole file (said when the input was validated),
    /// not of a row: import neither counts nor reports it as a row.
    var failedAsAWhole: Bool { get }
}

extension LabelItemSource {
    package var failedAsAWhole: Bool { false }
}
