import Hummingbird

/// The five API endpoints; the raw value is the key used in `/_sandbox/stats`.
package enum SandboxEndpoint: String, Sendable, CaseIterable {
    case listGoldLabels = "GET /v1/run/{id}/gold-labels"
    case createGoldLabel = "POST /v1/run/{id}/gold-labels"
    case getGoldLabel = "GET /v1/run/{run_id}/gold-label/{gold_label_id}"
    case updateGoldLabel = "PUT /v1/run/{run_id}/gold-label/{gold_label_id}"
    case getEvaluation = "GET /v1/run/{run_id}/evaluation/{evaluation_id}"

    /// The route in Hummingbird's syntax.
    var route: String {
        switch self {
        // Hummingbird needs one parameter name per path position, so `{id}` is `:run_id` here.
        case .listGoldLabels, .createGoldLabel: "/v1/run/:run_id/gold-labels"
        case .getGoldLabel, .updateGoldLabel: "/v1/run/:run_id/gold-label/:gold_label_id"
        case .getEvaluation: "/v1/run/:run_id/evaluation/:evaluation_id"
        }
    }

    var method: HTTPRequest.Method {
        switch self {
        case .listGoldLabels, .getGoldLabel, .getEvaluation: .get
        case .createGoldLabel: .post
        case .updateGoldLabel: .put
        }
    }

    var isWrite: Bool { self == .createGoldLabel || self == .updateGoldLabel }

    /// The methods the API has on `path`, or nil when it is none of the API's paths.
    static func allowedMethods(path: String) -> [HTTPRequest.Method]? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let pattern = parts.enumerated().map { $0.offset == 2 || $0.offset == 4 ? ":" : String($0.element) }
        let matching = allCases.filter { endpoint in
            let route = endpoint.route.split(separator: "/").map { $0.hasPrefix(":") ? ":" : String($0) }
            return route == pattern
        }
        return matching.isEmpty ? nil : matching.map(\.method)
    }
}
