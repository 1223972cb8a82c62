/// What someone wants to do with a resource.
public enum Action: String, Sendable, CaseIterable {
    case read
    case create
    case update
    case deactivate
}

/// A resource as the policy needs to see it: its id and the ids it sits under. The app looks
/// these up; the policy only compares them, so every rule lives here and is tested here.
public enum Resource: Sendable, Hashable {
    /// Users, roles and other administration of the installation.
    case administration
    /// The administrative unit tree (read by everyone signed in, changed by admins).
    case unitTree
    /// A market; `units` holds the market's unit and every unit above or succeeding it.
    case market(id: String, units: Set<String>)
    /// A stall (and its receiving accounts and merchants).
    case stall(id: String, marketID: String, units: Set<String>)
    /// A stall's takings: payment requests, cash sales and debts. Seen by whoever sees the stall;
    /// written by its keeper.
    case stallSales(stallID: String, marketID: String, units: Set<String>)
    /// A market's money intake: webhook connections, the unmatched inbox, statement imports.
    /// Only its market board (and administrators) see or change it.
    case marketIntake(marketID: String)
    /// A community digital team.
    case team(id: String, units: Set<String>)
    /// A household of the register and its visits: `teamIDs` are the teams serving its hamlet,
    /// `units` the hamlet's lineage (its commune then and since). Team members read and write
    /// their hamlets' households; officers of the commune read them; nobody else sees them.
    case household(hamletID: String, teamIDs: Set<String>, units: Set<String>)
    /// A team's review list (conflicts, likely duplicates): its members see it, its leaders (and
    /// deputies) settle it; officers of the team's commune see it.
    case teamReview(teamID: String, leaderIDs: Set<String>, units: Set<String>)
    /// A product's record in the OCOP register (its facts, photos, decisions), `units` the
    /// producer's commune lineage. Commune officers keep it; its producer reads it and edits its
    /// sale facts (label, price, photos); the public pages need no permission.
    case ocopProduct(producerID: String, units: Set<String>)
    /// A unit's indicators and frozen reports; `units` the unit's lineage and its successors'.
    /// Officers of those units read them and freeze a period; nobody else sees them.
    case indicators(units: Set<String>)
    /// A user's own API token.
    case apiToken(ownerID: String)
    /// A person's login: `marketIDs` are the markets it belongs to (a stall keeper's stalls'
    /// markets, a board member's markets; none for other roles). A market board manages the
    /// logins of its own stall keepers and members; nobody manages their own this way.
    case login(userID: String, role: Role, marketIDs: Set<String>)
}

public enum Decision: Sendable, Hashable {
    case allow
    /// Visible but not changeable by this user: answer 403.
    case forbidden
    /// Not visible to this user: answer 404 exactly as for an id that does not exist, so that
    /// nobody learns whether another stall exists.
    case hidden

    public var isAllowed: Bool { self == .allow }
}

/// The one place that decides who may read or change what (DESIGN.md §6).
public enum AccessPolicy {
    public static func decide(_ principal: Principal, _ action: Action, _ resource: Resource) -> Decision {
        if principal.role == .admin { return .allow }
        let canRead = canRead(principal, resource)
        switch action {
        case .read:
            return canRead ? .allow : denial(for: resource)
        case .create, .update, .deactivate:
            guard canRead else { return denial(for: resource) }
            return canChange(principal, action, resource) ? .allow : .forbidden
        }
    }

    public static func permits(_ principal: Principal, _ action: Action, _ resource: Resource) -> Bool {
        decide(principal, action, resource).isAllowed
    }

    private static func canRead(_ principal: Principal, _ resource: Resource) -> Bool {
        let scope = principal.scope
        switch (principal.role, resource) {
        case (.admin, _): return true
        case (_, .administration): return false
        case (_, .unitTree): return true
        case (_, .apiToken(let ownerID)): return ownerID == principal.userID
        case (.marketManager, .login(let userID, let role, let markets)):
            return userID == principal.userID || Self.boardManages(scope, role: role, markets: markets)
        case (_, .login(let userID, _, _)): return userID == principal.userID
        case (.officer, .market(_, let units)), (.officer, .stall(_, _, let units)), (.officer, .team(_, let units)),
             (.officer, .household(_, _, let units)), (.officer, .teamReview(_, _, let units)), (.officer, .ocopProduct(_, let units)),
             (.officer, .indicators(let units)):
            return !scope.isDisjoint(with: units)
        case (_, .indicators): return false
        case (.producer, .ocopProduct(let producerID, _)): return scope.contains(producerID)
        case (_, .ocopProduct): return false
        // A producer's shop stall is theirs to watch and ring up; nothing else of the markets is.
        case (.producer, .stall(let id, _, _)), (.producer, .stallSales(let id, _, _)): return principal.receivingStalls.contains(id)
        case (.producer, .market), (.producer, .team), (.producer, .household), (.producer, .teamReview): return false
        case (.teamMember, .household(_, let teams, _)): return !scope.isDisjoint(with: teams)
        case (.teamMember, .teamReview(let team, _, _)): return scope.contains(team)
        case (.marketManager, .household), (.merchant, .household), (.marketManager, .teamReview), (.merchant, .teamReview):
            return false
        case (.marketManager, .market(let id, _)): return scope.contains(id)
        case (.marketManager, .stall(_, let marketID, _)), (.marketManager, .stallSales(_, let marketID, _)):
            return scope.contains(marketID)
        case (.officer, .stallSales(_, _, let units)): return !scope.isDisjoint(with: units)
        case (.merchant, .stall(let id, _, _)), (.merchant, .stallSales(let id, _, _)): return scope.contains(id)
        case (.teamMember, .team(let id, _)): return scope.contains(id)
        case (.marketManager, .marketIntake(let marketID)): return scope.contains(marketID)
        case (_, .marketIntake): return false
        case (.marketManager, .team), (.merchant, .market), (.merchant, .team),
             (.teamMember, .market), (.teamMember, .stall), (.teamMember, .stallSales):
            return false
        }
    }

    private static func canChange(_ principal: Principal, _ action: Action, _ resource: Resource) -> Bool {
        switch (principal.role, resource) {
        case (.admin, _): return true
        case (_, .apiToken): return true
        // The market board registers, edits and closes its own stalls; markets themselves are
        // created and changed by administrators.
        case (.marketManager, .stall): return true
        // The keeper rings up their own sales; nobody else writes them.
        case (.merchant, .stallSales): return true
        case (.marketManager, .market): return action == .update
        // A team's members write their hamlets' households and visits; officers only read them.
        case (.teamMember, .household): return true
        case (.teamMember, .teamReview(_, let leaders, _)): return leaders.contains(principal.userID)
        // Officers manage the teams of their communes (members, hamlets, targets).
        case (.officer, .team): return true
        // Officers keep the OCOP register of their communes; a producer edits the sale facts of
        // products already registered (the decisions and the stars are the officers').
        case (.officer, .ocopProduct): return true
        // Officers freeze their units' periods ("chốt số liệu").
        case (.officer, .indicators): return true
        case (.producer, .ocopProduct): return action == .update
        case (.producer, .stallSales): return true
        case (.marketManager, .marketIntake): return true
        // A board manages its stall keepers' logins only: a board member's login (made, reset,
        // disabled) is the administrator's, or one member could make or take over the "second
        // member" who confirms their own change of where a stall's money goes.
        case (.marketManager, .login(let userID, let role, let markets)):
            return userID != principal.userID && role == .merchant && Self.boardManages(principal.scope, role: role, markets: markets)
        default: return false
        }
    }

    private static func boardManages(_ scope: Set<String>, role: Role, markets: Set<String>) -> Bool {
        (role == .merchant || role == .marketManager) && !markets.isEmpty && markets.isSubset(of: scope)
    }

    /// Resources a user may not know about are hidden; the rest are forbidden.
    private static func denial(for resource: Resource) -> Decision {
        switch resource {
        case .market, .stall, .stallSales, .marketIntake, .team, .household, .teamReview, .ocopProduct, .indicators, .apiToken, .login: .hidden
        case .administration, .unitTree: .forbidden
        }
    }
}
