import ChoSoCore
import Fluent
import Foundation

/// A community digital-technology team (tổ công nghệ số cộng đồng) of a commune or hamlet.
final class TeamModel: Model, @unchecked Sendable {
    static let schema = "teams"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "unit_id") var unitID: String
    @Children(for: \.$team) var members: [TeamMemberModel]

    init() {}

    init(id: UUID? = nil, name: String, unitID: String) {
        self.id = id
        self.name = name
        self.unitID = unitID
    }
}

final class TeamMemberModel: Model, @unchecked Sendable {
    static let schema = "team_members"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: TeamModel
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "phone") var phone: String?
    /// The member's login, when they have one.
    @OptionalField(key: "user_id") var userID: UUID?
    /// leader, deputy or member (`TeamRole`).
    @OptionalField(key: "role") var role: String?
    /// village head, youth union, … (`Affiliation`).
    @OptionalField(key: "affiliation") var affiliation: String?
    @OptionalField(key: "active_from") var activeFrom: String?
    @OptionalField(key: "active_to") var activeTo: String?

    var isLeader: Bool { role == TeamRole.leader.rawValue || role == TeamRole.deputy.rawValue }

    init() {}

    init(id: UUID? = nil, teamID: UUID, fullName: String, phone: String?) {
        self.id = id
        self.$team.id = teamID
        self.fullName = fullName
        self.phone = phone
    }
}

/// A hamlet (or, with none, the whole commune) a team serves.
final class TeamHamletModel: Model, @unchecked Sendable {
    static let schema = "team_hamlets"

    @ID(key: .id) var id: UUID?
    @Parent(key: "team_id") var team: TeamModel
    @Field(key: "unit_id") var unitID: String

    init() {}

    init(id: UUID? = nil, teamID: UUID, unitID: String) {
        self.id = id
        self.$team.id = teamID
        self.unitID = unitID
    }
}
