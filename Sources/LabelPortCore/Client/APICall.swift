import NIOHTTP1

/// One of the five calls, as the client sends and names it. The texts for errors are
/// built only when an error needs them, not for every request.
enum APICall {
    case listGoldLabels(runID: String)
    case createGoldLabel(runID: String, name: String)
    case getGoldLabel(runID: String, labelID: String)
    case updateGoldLabel(runID: String, labelID: String)
    case getEvaluation(runID: String, evaluationID: String)

    var method: HTTPMethod {
        switch self {
        case .listGoldLabels, .getGoldLabel, .getEvaluation: .GET
        case .createGoldLabel: .POST
        case .updateGoldLabel: .PUT
        }
    }

    var path: String {
        switch self {
        case .listGoldLabels(let run), .createGoldLabel(let run, _): "/v1/run/\(run)/gold-labels"
        case .getGoldLabel(let run, let label), .updateGoldLabel(let run, let label): "/v1/run/\(run)/gold-label/\(label)"
        case .getEvaluation(let run, let evaluation): "/v1/run/\(run)/evaluation/\(evaluation)"
        }
    }

    /// What was being done, for ``APIError/operation``.
    var operation: String {
        switch self {
        case .listGoldLabels(let run): "list gold labels of run \(run)"
        case .createGoldLabel(let run, let name): "create gold label \(TerminalText.quoted(name)) in run \(run)"
        case .getGoldLabel(let run, let label): "get gold label \(label) of run \(run)"
        case .updateGoldLabel(let run, let label): "update gold label \(label) of run \(run)"
        case .getEvaluation(let run, let evaluation): "get evaluation \(evaluation) of run \(run)"
        }
    }

    /// What a 404 means for this call.
    var notFound: String {
        switch self {
        case .listGoldLabels(let run), .createGoldLabel(let run, _): "run \(run) not found"
        case .getGoldLabel(let run, let label), .updateGoldLabel(let run, let label): "gold label \(label) not found in run \(run)"
        case .getEvaluation(let run, let evaluation): "evaluation \(evaluation) not found in run \(run)"
        }
    }
}
