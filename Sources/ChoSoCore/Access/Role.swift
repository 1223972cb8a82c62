/// What a user is to ChoSo. A user has one role; its scope (units, markets, stalls or a team)
/// is the list of ids the role applies to.
public enum Role: String, Sendable, Codable, CaseIterable {
    case admin
    /// A commune or district officer: reads everything under the units of their scope.
    case officer
    /// The market board: manages the markets of their scope.
    case marketManager = "market_manager"
    /// A stall keeper: their own stalls only.
    case merchant
    /// A community digital-technology team member: their own team.
    case teamMember = "team_member"

    public var label: LocalizedText {
        switch self {
        case .admin: LocalizedText(vi: "Quản trị hệ thống", en: "Administrator")
        case .officer: LocalizedText(vi: "Cán bộ xã / huyện", en: "Commune or district officer")
        case .marketManager: LocalizedText(vi: "Ban quản lý chợ", en: "Market board")
        case .merchant: LocalizedText(vi: "Tiểu thương", en: "Stall keeper")
        case .teamMember: LocalizedText(vi: "Tổ công nghệ số cộng đồng", en: "Community digital team")
        }
    }

    /// What the ids of this role's scope name.
    public var scopeKind: ScopeKind? {
        switch self {
        case .admin: nil
        case .officer: .unit
        case .marketManager: .market
        case .merchant: .stall
        case .teamMember: .team
        }
    }
}

public enum ScopeKind: String, Sendable, Codable {
    case unit, market, stall, team
}

/// The signed-in user as the policy sees them.
public struct Principal: Sendable, Hashable {
    public var userID: String
    public var role: Role
    /// Ids of units (officer), markets (market manager), stalls (merchant) or teams (team member).
    public var scope: Set<String>

    public init(userID: String, role: Role, scope: Set<String> = []) {
        self.userID = userID
        self.role = role
        self.scope = scope
    }
}
