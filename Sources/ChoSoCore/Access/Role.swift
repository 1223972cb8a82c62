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
    /// An OCOP producer (company, cooperative, household business): their own products' facts,
    /// photos and completeness, and the money buyers pay to their shop by QR.
    case producer

    public var label: LocalizedText {
        switch self {
        case .admin: LocalizedText(vi: "Quản trị hệ thống", en: "Administrator")
        case .officer: LocalizedText(vi: "Cán bộ xã / huyện", en: "Commune or district officer")
        case .marketManager: LocalizedText(vi: "Ban quản lý chợ", en: "Market board")
        case .merchant: LocalizedText(vi: "Tiểu thương", en: "Stall keeper")
        case .teamMember: LocalizedText(vi: "Tổ công nghệ số cộng đồng", en: "Community digital team")
        case .producer: LocalizedText(vi: "Chủ thể OCOP", en: "OCOP producer")
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
        case .producer: .producer
        }
    }
}

public enum ScopeKind: String, Sendable, Codable {
    case unit, market, stall, team, producer
}

/// The signed-in user as the policy sees them.
public struct Principal: Sendable, Hashable {
    public var userID: String
    public var role: Role
    /// Ids of units (officer), markets (market manager), stalls (merchant), teams (team member)
    /// or producers (producer).
    public var scope: Set<String>
    /// A producer's shop stalls: where buyers' transfers for their products arrive. The app looks
    /// them up from the producers of the scope; for other roles it is empty.
    public var receivingStalls: Set<String>

    public init(userID: String, role: Role, scope: Set<String> = [], receivingStalls: Set<String> = []) {
        self.userID = userID
        self.role = role
        self.scope = scope
        self.receivingStalls = receivingStalls
    }
}
