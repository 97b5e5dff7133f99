/// How rows become writes (`--mode`).
package enum ImportMode: String, Sendable, CaseIterable {
    /// Update the label a row names by `id`, else by `output_resource_name`; create when none matches.
    case upsert
    /// Always create.
    case create
    /// Only update; a row that matches no label fails.
    case update
}

/// What a row means for its label (`action` in the report).
package enum ImportAction: String, Sendable, CaseIterable {
    case create, update, unchanged, conflict, invalid
}

/// How a row ended (`status` in the report).
package enum RowStatus: String, Sendable, CaseIterable {
    /// Written, or nothing to write.
    case ok
    case failed
    /// Not attempted: a conflict, an invalid row let through by --max-errors, or an interrupted run.
    case skipped
    /// Dry run: what would happen.
    case planned
}
